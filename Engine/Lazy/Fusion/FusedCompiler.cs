using System.Collections.Concurrent;
using System.Reflection;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>
/// Turns an <see cref="ExprNode"/> DAG into a nested generic struct type and a JIT-specialized kernel, once per distinct
/// expression (cached by the expression's canonical text, shared subexpressions included).
/// </summary>
public static class FusedCompiler
{
    private static readonly ConcurrentDictionary<string, (FusedMap Map, FusedSum Sum, string Type)> Cache = new();
    private static long compiled, hits;

    /// <summary>Kernels compiled so far (one per distinct expression).</summary>
    public static long KernelsCompiled => Interlocked.Read(ref compiled);

    /// <summary>Compilations avoided because the expression was cached.</summary>
    public static long CacheHits => Interlocked.Read(ref hits);

    private static readonly Type[] StoreTypes = [typeof(Store1<>), typeof(Store2<>), typeof(Store3<>)];

    private static readonly ExprTypeTable Types = new(
        [typeof(In0), typeof(In1), typeof(In2), typeof(In3), typeof(In4), typeof(In5), typeof(In6), typeof(In7)],
        [typeof(Bc0), typeof(Bc1), typeof(Bc2), typeof(Bc3), typeof(Bc4), typeof(Bc5), typeof(Bc6), typeof(Bc7)],
        [typeof(C0), typeof(C1), typeof(C2), typeof(C3), typeof(C4), typeof(C5), typeof(C6), typeof(C7)],
        [typeof(Let0<,>), typeof(Let1<,>), typeof(Let2<,>), typeof(Let3<,>)],
        [typeof(Ref0), typeof(Ref1), typeof(Ref2), typeof(Ref3)],
        (n, args) => n.Kind == ExprKind.Store ? StoreTypes[n.Slot - 1].MakeGenericType(args) : FusedOps.Find(n.Op!)!.ExprType.MakeGenericType(args));

    private static readonly MethodInfo MapMethod = typeof(FusedKernels).GetMethod(nameof(FusedKernels.Map))!;
    private static readonly MethodInfo SumMethod = typeof(FusedKernels).GetMethod(nameof(FusedKernels.Sum))!;

    /// <summary>The elementwise kernel for <paramref name="root"/>.</summary>
    public static FusedMap CompileMap(ExprNode root) => Get(root).Map;

    /// <summary>The fused sum kernel for <paramref name="root"/>.</summary>
    public static FusedSum CompileSum(ExprNode root) => Get(root).Sum;

    /// <summary>The struct type name the expression compiles to (for debugging output).</summary>
    public static string TypeName(ExprNode root) => Get(root).Type;

    private static (FusedMap Map, FusedSum Sum, string Type) Get(ExprNode root)
    {
        var key = root.ToString();
        if (Cache.TryGetValue(key, out var k))
        {
            Interlocked.Increment(ref hits);
            return k;
        }
        return Cache.GetOrAdd(key, _ =>
        {
            var type = BuildType(root);
            long number = Interlocked.Increment(ref compiled);
            var described = Describe(type);
            if (FusedDebug.Kernels) FusedDebug.Compiled(number, key, described);
            var lanes = FusedKernels.WidestLanes;
            return (MapMethod.MakeGenericMethod(type, lanes).CreateDelegate<FusedMap>(),
                    SumMethod.MakeGenericMethod(type, lanes).CreateDelegate<FusedSum>(),
                    described);
        });
    }

    /// <summary>The expression type, with nodes that are reached more than once bound by Let/Ref (up to 4 of them).</summary>
    public static Type BuildType(ExprNode root) => ExprTypeBuilder.Build(root, Types);

    private static string Describe(Type t) =>
        !t.IsGenericType ? t.Name : $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(",", t.GetGenericArguments().Select(Describe))}>";
}
