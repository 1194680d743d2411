using System.Globalization;

namespace RlPlat.Agents;

/// <summary>
/// A value that may change over training, as rl-zoo writes it: a constant (<c>0.0003</c>) or <c>lin_0.001</c>, which
/// falls linearly from 0.001 at the start to 0 at the end. Evaluated at the fraction of training remaining (1 to 0).
/// </summary>
public readonly record struct Schedule(double Initial, double Final)
{
    /// <summary>A constant schedule.</summary>
    public static Schedule Constant(double value) => new(value, value);

    /// <summary>A linear schedule from <paramref name="initial"/> to 0 (rl-zoo's <c>lin_</c>).</summary>
    public static Schedule Linear(double initial, double final = 0) => new(initial, final);

    /// <summary>True when the value does not change.</summary>
    public bool IsConstant => Initial == Final;

    /// <summary>The value when <paramref name="progressRemaining"/> of training is left.</summary>
    public double At(double progressRemaining) => Final + (Initial - Final) * Math.Clamp(progressRemaining, 0, 1);

    /// <summary>Parses a number or <c>lin_&lt;number&gt;</c>; <paramref name="key"/> names the setting in errors.</summary>
    public static Schedule Parse(object? value, string key)
    {
        switch (value)
        {
            case Schedule s: return s;
            case double or float or int or long or decimal:
                return Constant(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case string text:
                string t = text.Trim();
                if (t.StartsWith("lin_", StringComparison.Ordinal) && double.TryParse(t.AsSpan(4), NumberStyles.Float, CultureInfo.InvariantCulture, out double lin))
                    return Linear(lin);
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double c)) return Constant(c);
                break;
        }
        throw new ArgumentException($"{key}: '{value}' is not a number or a linear schedule like 'lin_0.001'.", key);
    }

    /// <inheritdoc />
    public override string ToString() => IsConstant ? Initial.ToString(CultureInfo.InvariantCulture) : $"lin_{Initial.ToString(CultureInfo.InvariantCulture)}";
}
