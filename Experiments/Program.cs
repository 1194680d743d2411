namespace RlPlat.Experiments;

/// <summary>Entry point of the <c>rlplat</c> command.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("rlplat: the experiment runner is not built yet; it will run experiments.yaml.");
        return 0;
    }
}
