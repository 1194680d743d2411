namespace RlPlat.Environments.ClassicControl;

/// <summary>Shared pieces of Gymnasium's classic-control code (<c>classic_control/utils.py</c>).</summary>
internal static class ClassicControlUtils
{
    /// <summary><c>maybe_parse_reset_bounds</c>: reset bounds from options "low"/"high", else the defaults.</summary>
    public static (double Low, double High) ResetBounds(IReadOnlyDictionary<string, object?>? options, double defaultLow, double defaultHigh, string owner)
    {
        double low = defaultLow, high = defaultHigh;
        if (options != null)
        {
            if (options.TryGetValue("low", out var l) && l != null) low = Convert.ToDouble(l, System.Globalization.CultureInfo.InvariantCulture);
            if (options.TryGetValue("high", out var h) && h != null) high = Convert.ToDouble(h, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (low > high) throw new ArgumentException($"{owner}: reset bound low ({low}) is greater than high ({high}).");
        return (low, high);
    }

    /// <summary>Checks and copies a new internal state.</summary>
    public static void SetState(double[] state, ReadOnlySpan<double> value, string owner)
    {
        if (value.Length != state.Length)
            throw new ArgumentException($"{owner}: state has {state.Length} values, got {value.Length}.");
        value.CopyTo(state);
    }

    /// <summary>numpy's float64 <c>%</c> (floor modulo, sign of the divisor), bit for bit as <c>npy_divmod</c>.</summary>
    public static double FloorMod(double a, double b)
    {
        double mod = a % b; // C fmod
        if (mod != 0)
        {
            if ((b < 0) != (mod < 0)) mod += b;
        }
        else
        {
            mod = Math.CopySign(0.0, b);
        }
        return mod;
    }
}
