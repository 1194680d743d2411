using System.Globalization;

namespace RlPlat.Experiments.Config;

/// <summary>
/// A hyperparameter that may change over training, in rl-zoo's notation: a number is constant,
/// <c>lin_X</c> decays linearly from X at the start to 0 at the end, <c>lin_X_Y</c> from X to Y.
/// </summary>
public readonly record struct Schedule(double Start, double End)
{
    /// <summary>A value that never changes.</summary>
    public static Schedule Constant(double value) => new(value, value);

    /// <summary>rl-zoo's <c>lin_X</c>: X at the start, 0 at the end.</summary>
    public static Schedule Linear(double start) => new(start, 0);

    /// <summary>True when the value does not change.</summary>
    public bool IsConstant => Start == End;

    /// <summary>The value when <paramref name="progressRemaining"/> (1 at the start, 0 at the end, as in SB3) of training is left.</summary>
    public double ValueAt(double progressRemaining) => End + (Start - End) * Math.Clamp(progressRemaining, 0, 1);

    /// <summary>Parses a number, <c>lin_X</c> or <c>lin_X_Y</c>; returns false for anything else.</summary>
    public static bool TryParse(string text, out Schedule schedule)
    {
        schedule = default;
        if (text.StartsWith("lin_", StringComparison.Ordinal))
        {
            var parts = text[4..].Split('_');
            if (parts.Length > 2 || !TryNumber(parts[0], out var start)) return false;
            double end = 0;
            if (parts.Length == 2 && !TryNumber(parts[1], out end)) return false;
            schedule = new Schedule(start, end);
            return true;
        }
        if (!TryNumber(text, out var value)) return false;
        schedule = Constant(value);
        return true;
    }

    /// <summary>The YAML form: a plain number for constants, <c>lin_X</c> (or <c>lin_X_Y</c>) for linear decay.</summary>
    public override string ToString()
        => IsConstant ? Format(Start) : End == 0 ? "lin_" + Format(Start) : $"lin_{Format(Start)}_{Format(End)}";

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static bool TryNumber(string text, out double value)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
