namespace RlPlat.Environments;

/// <summary>
/// Gymnasium's flattening utilities. Every space flattens to a float32 vector: a Box to its values, Discrete and
/// each MultiDiscrete dimension to a one-hot block, MultiBinary to its bits, Tuple/Dict to the concatenation of
/// their parts (Dict in sorted key order).
/// </summary>
public static class Spaces
{
    /// <summary>The length of the flattened vector (Gymnasium's <c>flatdim</c>).</summary>
    public static int FlatDim(Space space) => space switch
    {
        Box b => b.Size,
        Discrete d => d.N,
        MultiDiscrete m => Sum(m.Nvec),
        MultiBinary mb => mb.N,
        TupleSpace t => SumFlatDims(t.Spaces),
        DictSpace d => SumFlatDims(d.Spaces.Values),
        _ => throw new ArgumentException($"FlatDim: cannot flatten a {space.GetType().Name}."),
    };

    /// <summary>The float32 Box that flattened elements lie in (Gymnasium's <c>flatten_space</c>).</summary>
    public static Box FlattenSpace(Space space)
    {
        int n = FlatDim(space);
        var low = new double[n];
        var high = new double[n];
        int offset = 0;
        FillBounds(space, low, high, ref offset);
        return new Box(low, high, [n], BoxDType.Float32);
    }

    /// <summary>Flattens <paramref name="value"/> into a new float vector (Gymnasium's <c>flatten</c>).</summary>
    public static float[] Flatten(Space space, object value)
    {
        var result = new float[FlatDim(space)];
        FlattenInto(space, value, result);
        return result;
    }

    /// <summary>Flattens <paramref name="value"/> into <paramref name="destination"/> (length <see cref="FlatDim"/>).</summary>
    public static void FlattenInto(Space space, object value, Span<float> destination)
    {
        if (destination.Length != FlatDim(space))
            throw new ArgumentException($"Flatten: destination has {destination.Length} values, {space} flattens to {FlatDim(space)}.");
        if (!space.ContainsObject(value) && space is not Box)
            throw new ArgumentException($"Flatten: value of type {value.GetType().Name} is not an element of {space}.");
        switch (space)
        {
            case Box box:
                CopyBoxValues(box, value, destination);
                break;
            case Discrete d:
                destination.Clear();
                destination[Convert.ToInt32(value) - d.Start] = 1f;
                break;
            case MultiDiscrete m:
            {
                destination.Clear();
                var x = (int[])value;
                int offset = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    destination[offset + x[i] - m.Start[i]] = 1f;
                    offset += m.Nvec[i];
                }
                break;
            }
            case MultiBinary:
            {
                var x = (byte[])value;
                for (int i = 0; i < x.Length; i++) destination[i] = x[i];
                break;
            }
            case TupleSpace t:
            {
                var x = (object[])value;
                int offset = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    int n = FlatDim(t.Spaces[i]);
                    FlattenInto(t.Spaces[i], x[i], destination.Slice(offset, n));
                    offset += n;
                }
                break;
            }
            case DictSpace d:
            {
                var x = (IReadOnlyDictionary<string, object>)value;
                int offset = 0;
                foreach (var (k, s) in d.Spaces)
                {
                    int n = FlatDim(s);
                    FlattenInto(s, x[k], destination.Slice(offset, n));
                    offset += n;
                }
                break;
            }
            default:
                throw new ArgumentException($"Flatten: cannot flatten a {space.GetType().Name}.");
        }
    }

    /// <summary>Rebuilds an element from its flattened vector (Gymnasium's <c>unflatten</c>; one-hot blocks take their argmax).</summary>
    public static object Unflatten(Space space, ReadOnlySpan<float> flat)
    {
        if (flat.Length != FlatDim(space))
            throw new ArgumentException($"Unflatten: vector has {flat.Length} values, {space} flattens to {FlatDim(space)}.");
        switch (space)
        {
            case Box box:
            {
                Array x = box.CreateElement();
                for (int i = 0; i < flat.Length; i++) x.SetValue(Convert.ChangeType(flat[i], box.ElementType, System.Globalization.CultureInfo.InvariantCulture), i);
                return x;
            }
            case Discrete d:
                return d.Start + ArgMax(flat);
            case MultiDiscrete m:
            {
                var x = new int[m.Nvec.Length];
                int offset = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] = m.Start[i] + ArgMax(flat.Slice(offset, m.Nvec[i]));
                    offset += m.Nvec[i];
                }
                return x;
            }
            case MultiBinary:
            {
                var x = new byte[flat.Length];
                for (int i = 0; i < x.Length; i++) x[i] = flat[i] != 0f ? (byte)1 : (byte)0;
                return x;
            }
            case TupleSpace t:
            {
                var x = new object[t.Spaces.Count];
                int offset = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    int n = FlatDim(t.Spaces[i]);
                    x[i] = Unflatten(t.Spaces[i], flat.Slice(offset, n));
                    offset += n;
                }
                return x;
            }
            case DictSpace d:
            {
                var x = new Dictionary<string, object>();
                int offset = 0;
                foreach (var (k, s) in d.Spaces)
                {
                    int n = FlatDim(s);
                    x[k] = Unflatten(s, flat.Slice(offset, n));
                    offset += n;
                }
                return x;
            }
            default:
                throw new ArgumentException($"Unflatten: cannot unflatten a {space.GetType().Name}.");
        }
    }

    private static void CopyBoxValues(Box box, object value, Span<float> destination)
    {
        switch (value)
        {
            case float[] f when f.Length == box.Size: f.CopyTo(destination); break;
            case double[] d when d.Length == box.Size: for (int i = 0; i < d.Length; i++) destination[i] = (float)d[i]; break;
            case byte[] b when b.Length == box.Size: for (int i = 0; i < b.Length; i++) destination[i] = b[i]; break;
            case int[] n when n.Length == box.Size: for (int i = 0; i < n.Length; i++) destination[i] = n[i]; break;
            case long[] l when l.Length == box.Size: for (int i = 0; i < l.Length; i++) destination[i] = l[i]; break;
            default: throw new ArgumentException($"Flatten: value of type {value.GetType().Name} does not fit {box}.");
        }
    }

    private static void FillBounds(Space space, double[] low, double[] high, ref int offset)
    {
        switch (space)
        {
            case Box b:
                Array.Copy(b.Low, 0, low, offset, b.Size);
                Array.Copy(b.High, 0, high, offset, b.Size);
                offset += b.Size;
                break;
            case TupleSpace t:
                foreach (var s in t.Spaces) FillBounds(s, low, high, ref offset);
                break;
            case DictSpace d:
                foreach (var s in d.Spaces.Values) FillBounds(s, low, high, ref offset);
                break;
            default:
                // One-hot and binary blocks lie in [0, 1].
                int n = FlatDim(space);
                Array.Fill(high, 1.0, offset, n);
                offset += n;
                break;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
            if (x[i] > x[best]) best = i;
        return best;
    }

    private static int Sum(int[] x)
    {
        int s = 0;
        foreach (int v in x) s += v;
        return s;
    }

    private static int SumFlatDims(IEnumerable<Space> spaces)
    {
        int s = 0;
        foreach (var sp in spaces) s += FlatDim(sp);
        return s;
    }
}
