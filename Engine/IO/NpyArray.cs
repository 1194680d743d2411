namespace RlPlat.Engine.IO;

/// <summary>An array as stored in a NumPy .npy file: its dtype, shape, and data as a 1-D .NET array in C (row-major) order.</summary>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions; empty for a 0-d (scalar) array.</param>
/// <param name="Data">float[], double[], int[], long[], bool[] or byte[] (matching <paramref name="DType"/>), product(Shape) long.</param>
public sealed record NpyArray(DType DType, int[] Shape, Array Data)
{
    /// <summary>Number of elements the shape describes (1 for a 0-d array).</summary>
    public long Count
    {
        get
        {
            long count = 1;
            foreach (int d in Shape) count *= d;
            return count;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the shape is valid and the data's type and length match it.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Shape);
        ArgumentNullException.ThrowIfNull(Data);
        foreach (int d in Shape)
            if (d < 0) throw new ArgumentException($"NpyArray: shape {ShapeText(Shape)} has a negative dimension");
        var expected = DType.ClrType();
        var actual = Data.GetType().GetElementType();
        if (Data.Rank != 1 || actual != expected)
            throw new ArgumentException($"NpyArray: dtype {DType.Name()} needs a 1-D {expected.Name}[], got {Data.GetType().Name}");
        if (Data.LongLength != Count)
            throw new ArgumentException($"NpyArray: shape {ShapeText(Shape)} needs {Count} elements, data has {Data.LongLength}");
    }

    /// <summary>A shape as NumPy prints it: (), (3,), (2, 3).</summary>
    public static string ShapeText(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
}
