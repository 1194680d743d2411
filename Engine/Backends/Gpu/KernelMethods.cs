using System.Collections.Concurrent;
using System.Reflection;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>Closes generic kernel methods over op/element types once and caches the result (reflection is slow per call).</summary>
internal static class KernelMethods
{
    private static readonly ConcurrentDictionary<(MethodInfo, Type, Type?, Type?, Type?), MethodInfo> Closed = new();

    /// <summary>The static method <paramref name="name"/> of <paramref name="owner"/>.</summary>
    internal static MethodInfo Open(Type owner, string name) =>
        owner.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        ?? throw new InvalidOperationException($"kernel {owner.Name}.{name} not found");

    /// <summary><paramref name="open"/> closed over the given type arguments (1 to 4).</summary>
    internal static MethodInfo Close(MethodInfo open, Type t0, Type? t1 = null, Type? t2 = null, Type? t3 = null) =>
        Closed.GetOrAdd((open, t0, t1, t2, t3), static k =>
        {
            var (m, a, b, c, d) = k;
            Type[] args = d != null ? [a, b!, c!, d] : c != null ? [a, b!, c] : b != null ? [a, b] : [a];
            return m.MakeGenericMethod(args);
        });
}
