namespace RlPlat.Experiments.Tests;

public class SmokeTests
{
    [Test]
    public void AssemblyLoads() => Assert.That(typeof(SmokeTests).Assembly.GetName().Name, Is.EqualTo("RlPlat.Experiments.Tests"));
}
