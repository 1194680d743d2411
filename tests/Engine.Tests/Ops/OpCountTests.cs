using System.Reflection;
using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

public class OpCountTests
{
    /// <summary>Public methods of Tensor that are operations: everything but accessors, object members and operators.</summary>
    internal static SortedSet<string> OpNames()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var skip = new HashSet<string> { "ToString", "Equals", "GetHashCode", "GetType", "GetValue", "Set", "Item", "Size",
            "AsSpan", "AsMemory", "ToArray", "SharesStorageWith", "RegisterHook", "RetainGrad", "Backward", "RequiresGrad_" };
        foreach (var m in typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            if (m.IsSpecialName || skip.Contains(m.Name)) continue;
            names.Add(m.Name);
        }
        return names;
    }

    [Test]
    public void TensorHasAtLeast150DistinctPublicOps()
    {
        var names = OpNames();
        TestContext.Out.WriteLine($"{names.Count} ops: {string.Join(", ", names)}");
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(150));
        Assert.That(names, Does.Contain("MatMul").And.Contain("Softmax").And.Contain("TopK").And.Contain("Where"));
    }
}
