namespace RlPlat.Environments.Tests;

public class SmokeTests
{
    [Test]
    public void AssemblyLoads() => Assert.That(typeof(SmokeTests).Assembly.GetName().Name, Is.EqualTo("RlPlat.Environments.Tests"));
}
