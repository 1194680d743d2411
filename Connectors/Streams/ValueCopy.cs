using System.Runtime.CompilerServices;

namespace RlPlat.Connectors.Streams;

/// <summary>
/// Deep copies of observations and actions: envs own the buffers they return (valid until their next step), so
/// anything that keeps a value (a stream, a recording) keeps a copy.
/// </summary>
public static class ValueCopy
{
    /// <summary>A copy of <paramref name="value"/> that shares no mutable storage with it.</summary>
    public static T Copy<T>(T value)
    {
        // Unmanaged scalars (int, double, ...) are already copies; only references need work.
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>()) return value;
        return (T)CopyObject(value)!;
    }

    /// <summary>Boxed form of <see cref="Copy{T}"/>: arrays, dictionaries and lists are copied recursively.</summary>
    public static object? CopyObject(object? value) => value switch
    {
        null => null,
        string s => s,
        Array array when array.GetType().GetElementType()!.IsPrimitive => array.Clone(),
        object?[] items => CopyItems(items),
        Dictionary<string, object?> dict => CopyDictionary(dict),
        IReadOnlyDictionary<string, object?> dict => CopyDictionary(dict),
        ITuple tuple => CopyTuple(tuple),
        _ => value,
    };

    private static object?[] CopyItems(object?[] items)
    {
        var copy = new object?[items.Length];
        for (int i = 0; i < items.Length; i++) copy[i] = CopyObject(items[i]);
        return copy;
    }

    private static Dictionary<string, object?> CopyDictionary(IEnumerable<KeyValuePair<string, object?>> dict)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, item) in dict) copy[key] = CopyObject(item);
        return copy;
    }

    private static object CopyTuple(ITuple tuple)
    {
        // Value tuples of scalars are copies already; tuples holding arrays are rebuilt as object[] would lose the type,
        // so copy their items into a new tuple of the same type through its constructor.
        var items = new object?[tuple.Length];
        bool changed = false;
        for (int i = 0; i < tuple.Length; i++)
        {
            items[i] = CopyObject(tuple[i]);
            changed |= !ReferenceEquals(items[i], tuple[i]) && tuple[i] is not ValueType;
        }
        if (!changed) return tuple;
        var type = tuple.GetType();
        var ctor = type.GetConstructors().FirstOrDefault(c => c.GetParameters().Length == tuple.Length)
            ?? throw new InvalidOperationException($"ValueCopy: cannot copy tuple type {type} (no constructor taking {tuple.Length} items).");
        return ctor.Invoke(items);
    }
}
