using System.Diagnostics;

namespace RlPlat.Environments.Wrappers;

/// <summary>A finished episode's return, length and wall time in seconds (Gymnasium's info["episode"] r, l, t).</summary>
public sealed record EpisodeStatistics(double Return, int Length, double Time);

/// <summary>
/// Gymnasium's <c>RecordEpisodeStatistics</c>: when an episode ends, adds <c>info["episode"]</c> (an
/// <see cref="EpisodeStatistics"/>) and keeps the last <c>bufferLength</c> returns and lengths.
/// </summary>
public sealed class RecordEpisodeStatistics<TObs, TAction> : Wrapper<TObs, TAction>
{
    private readonly Queue<EpisodeStatistics> episodes;
    private readonly int bufferLength;
    private readonly Stopwatch clock = new();
    private double episodeReturn;
    private int episodeLength;

    /// <summary>Records <paramref name="env"/>'s episodes, keeping the last <paramref name="bufferLength"/>.</summary>
    public RecordEpisodeStatistics(IEnv<TObs, TAction> env, int bufferLength = 100) : base(env)
    {
        if (bufferLength <= 0) throw new ArgumentException($"RecordEpisodeStatistics: buffer length must be positive, got {bufferLength}.", nameof(bufferLength));
        this.bufferLength = bufferLength;
        episodes = new Queue<EpisodeStatistics>(bufferLength);
    }

    /// <summary>The info key Gymnasium uses.</summary>
    public const string InfoKey = "episode";

    /// <summary>The last finished episodes, oldest first.</summary>
    public IReadOnlyCollection<EpisodeStatistics> Episodes => episodes;

    /// <summary>Episodes finished since construction.</summary>
    public int EpisodeCount { get; private set; }

    /// <inheritdoc />
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var r = Env.Reset(seed, options);
        episodeReturn = 0;
        episodeLength = 0;
        clock.Restart();
        return r;
    }

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action)
    {
        var r = Env.Step(action);
        episodeReturn += r.Reward;
        episodeLength++;
        if (!r.Done) return r;
        var stats = new EpisodeStatistics(episodeReturn, episodeLength, Math.Round(clock.Elapsed.TotalSeconds, 6));
        if (episodes.Count == bufferLength) episodes.Dequeue();
        episodes.Enqueue(stats);
        EpisodeCount++;
        Info info = ReferenceEquals(r.Info, Info.Empty) ? new Info() : r.Info;
        info[InfoKey] = stats;
        return r with { Info = info };
    }
}
