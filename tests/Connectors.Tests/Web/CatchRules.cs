namespace RlPlat.Connectors.Tests.Web;

/// <summary>
/// The rules of the page's Catch game (Connectors/Web/page/game.js) written again in C#, so tests can predict every
/// frame the browser sends: the same mulberry32 generator, whole-pixel positions, the same order of updates.
/// </summary>
internal sealed class CatchRules(int balls)
{
    private const int W = 160, H = 120, PaddleY = 112, PaddleHalf = 12, PaddleSpeed = 6, BallR = 4, BallVy = 4;
    private static readonly int[] Drifts = [-2, -1, 1, 2];
    private uint state;

    public int PaddleX, BallX, BallY, BallVx, Caught, Missed, Frame;

    public bool Over => Caught + Missed >= balls;

    /// <summary>mulberry32, bit for bit as the page computes it with Math.imul and unsigned shifts.</summary>
    private double Next()
    {
        state += 0x6D2B79F5;
        uint t = state;
        t = (t ^ (t >> 15)) * (t | 1);
        t ^= t + (t ^ (t >> 7)) * (t | 61);
        return (t ^ (t >> 14)) / 4294967296.0;
    }

    public void Reset(int? seed)
    {
        if (seed is { } s) state = unchecked((uint)s);
        PaddleX = W / 2;
        Caught = Missed = Frame = 0;
        Spawn();
    }

    private void Spawn()
    {
        BallX = 8 + (int)Math.Floor(Next() * 145);
        BallVx = Drifts[(int)Math.Floor(Next() * 4)];
        BallY = 0;
    }

    public double Step(int action)
    {
        PaddleX = Math.Clamp(PaddleX + (action - 1) * PaddleSpeed, PaddleHalf, W - PaddleHalf);
        BallX += BallVx;
        if (BallX < BallR) { BallX = 2 * BallR - BallX; BallVx = -BallVx; }
        if (BallX > W - BallR) { BallX = 2 * (W - BallR) - BallX; BallVx = -BallVx; }
        BallY += BallVy;
        Frame++;
        double reward = 0;
        if (BallY >= PaddleY)
        {
            if (Math.Abs(BallX - PaddleX) <= PaddleHalf + BallR) { Caught++; reward = 1; } else { Missed++; reward = -1; }
            if (!Over) Spawn();
        }
        return reward;
    }

    public float[] Observation() =>
        [(float)((double)BallX / W), (float)((double)BallY / H), (float)(BallVx / 2.0), (float)((double)PaddleX / W), (float)((double)(balls - Caught - Missed) / balls)];

    /// <summary>The scripted policy of the tests: follow the ball, with a deliberate miss every fourth ball.</summary>
    public int Policy()
    {
        int target = (Caught + Missed) % 4 == 3 ? (BallX < W / 2 ? W - PaddleHalf : PaddleHalf) : BallX;
        return target > PaddleX + 2 ? 2 : target < PaddleX - 2 ? 0 : 1;
    }
}
