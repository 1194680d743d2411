using RlPlat.Environments.Rendering;

namespace RlPlat.Environments.Games;

/// <summary>Shared env plumbing of the two Catch variants: kwargs, frame skip, reward, rendering.</summary>
public abstract class CatchEnvBase<TObs> : Env<TObs, int>
{
    private readonly Discrete actionSpace = new(3);

    /// <summary>A Catch env; each step repeats the action for <paramref name="frameSkip"/> frames and sums their rewards.</summary>
    protected CatchEnvBase(int rows, int columns, int balls, int frameSkip)
    {
        if (frameSkip <= 0) throw new ArgumentException($"Catch: frame skip must be positive, got {frameSkip}.", nameof(frameSkip));
        Game = new CatchGame(rows, columns, balls);
        FrameSkip = frameSkip;
    }

    /// <summary>The game state.</summary>
    public CatchGame Game { get; }

    /// <summary>Frames per step.</summary>
    public int FrameSkip { get; }

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <summary>Writes the current game state into the observation buffer and returns it.</summary>
    protected abstract TObs Observe();

    /// <inheritdoc />
    protected override (TObs Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        Game.Reset(NpRandom);
        return (Observe(), Info.Empty);
    }

    /// <inheritdoc />
    public override StepResult<TObs> Step(int action)
    {
        if (Game.Over) throw new InvalidOperationException("Catch: the episode is over; call Reset.");
        double reward = 0;
        for (int f = 0; f < FrameSkip && !Game.Over; f++) reward += Game.Frame(action, NpRandom);
        return new StepResult<TObs>(Observe(), reward, Game.Over, false, Info.Empty);
    }

    /// <summary>The grid drawn with 20-pixel cells: white ball, grey paddle on black.</summary>
    public override RenderFrame? Render()
    {
        const int cell = 20;
        var canvas = new Canvas(Game.Columns * cell, Game.Rows * cell);
        canvas.Clear(Rgb.Black);
        canvas.FillRect(Game.PaddleColumn * cell, (Game.Rows - 1) * cell, (Game.PaddleColumn + 1) * cell, Game.Rows * cell, new Rgb(160, 160, 160));
        canvas.FillCircle((Game.BallColumn + 0.5) * cell, (Game.BallRow + 0.5) * cell, cell * 0.4, Rgb.White);
        return canvas.ToFrame();
    }

    internal static (int Rows, int Columns, int Balls, int FrameSkip) ReadCommon(Kwargs k) =>
        (k.Int("rows", 10), k.Int("columns", 5), k.Int("balls", 10), k.Int("frame_skip", 1));
}

/// <summary>
/// <c>Catch-v0</c>: Catch with a symbolic observation, float32 [ball column, ball row, paddle column] each scaled to
/// [0, 1]. Small and dense enough (a +-1 every Rows-1 frames) for DQN/PPO to learn within ~100k steps.
/// </summary>
public sealed class Catch : CatchEnvBase<float[]>
{
    private readonly float[] observation = new float[3];
    private readonly Box observationSpace = new(0, 1, [3]);

    /// <summary>A symbolic Catch env.</summary>
    public Catch(int rows = 10, int columns = 5, int balls = 10, int frameSkip = 1) : base(rows, columns, balls, frameSkip) { }

    /// <summary>Builds from kwargs: <c>rows</c>, <c>columns</c>, <c>balls</c>, <c>frame_skip</c>.</summary>
    public static Catch FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("Catch", kwargs);
        var (rows, columns, balls, skip) = ReadCommon(k);
        k.EnsureAllUsed();
        return new Catch(rows, columns, balls, skip);
    }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    protected override float[] Observe()
    {
        observation[0] = (float)Game.BallColumn / (Game.Columns - 1);
        observation[1] = (float)Game.BallRow / (Game.Rows - 1);
        observation[2] = (float)Game.PaddleColumn / (Game.Columns - 1);
        return observation;
    }
}

/// <summary>
/// <c>CatchPixels-v0</c>: Catch seen as a uint8 image (Atari-style), <c>size</c> x <c>size</c> grayscale by default
/// (shape [size, size], a <c>byte[]</c> Box) or RGB (shape [size, size, 3]); ball and paddle are 255 on 0.
/// </summary>
public sealed class CatchPixels : CatchEnvBase<byte[]>
{
    private readonly byte[] pixels;
    private readonly Box observationSpace;
    private readonly int channels;

    /// <summary>A pixel Catch env.</summary>
    public CatchPixels(int size = 84, bool grayscale = true, int rows = 10, int columns = 5, int balls = 10, int frameSkip = 1)
        : base(rows, columns, balls, frameSkip)
    {
        if (size < Math.Max(rows, columns)) throw new ArgumentException($"CatchPixels: size {size} is smaller than the {rows}x{columns} grid.", nameof(size));
        Size = size;
        channels = grayscale ? 1 : 3;
        pixels = new byte[size * size * channels];
        observationSpace = new Box(0, 255, grayscale ? [size, size] : [size, size, 3], BoxDType.UInt8);
    }

    /// <summary>Builds from kwargs: <c>size</c>, <c>grayscale</c>, <c>rows</c>, <c>columns</c>, <c>balls</c>, <c>frame_skip</c>.</summary>
    public static CatchPixels FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("CatchPixels", kwargs);
        var (rows, columns, balls, skip) = ReadCommon(k);
        var env = new CatchPixels(k.Int("size", 84), k.Bool("grayscale", true), rows, columns, balls, skip);
        k.EnsureAllUsed();
        return env;
    }

    /// <summary>Image width and height in pixels.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    protected override byte[] Observe()
    {
        Array.Clear(pixels);
        FillCell(Game.BallRow, Game.BallColumn);
        FillCell(Game.Rows - 1, Game.PaddleColumn);
        return pixels;
    }

    // Cell (r, c) covers pixel rows [r*size/rows, (r+1)*size/rows) and likewise for columns.
    private void FillCell(int row, int column)
    {
        int y0 = row * Size / Game.Rows, y1 = (row + 1) * Size / Game.Rows;
        int x0 = column * Size / Game.Columns, x1 = (column + 1) * Size / Game.Columns;
        for (int y = y0; y < y1; y++)
            pixels.AsSpan((y * Size + x0) * channels, (x1 - x0) * channels).Fill(255);
    }
}
