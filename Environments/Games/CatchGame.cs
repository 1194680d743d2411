namespace RlPlat.Environments.Games;

/// <summary>
/// The rules of Catch (after bsuite's catch, with several balls per episode): a ball falls one row per frame from a
/// random column of the top row; the paddle moves along the bottom row (0 left, 1 stay, 2 right). When the ball
/// reaches the bottom row the frame pays +1 if the paddle is under it, -1 if not, and a new ball appears. The episode
/// terminates after <see cref="Balls"/> balls.
/// </summary>
public sealed class CatchGame
{
    /// <summary>A game on a <paramref name="rows"/> x <paramref name="columns"/> grid with <paramref name="balls"/> balls per episode.</summary>
    public CatchGame(int rows = 10, int columns = 5, int balls = 10)
    {
        if (rows < 2 || columns < 2) throw new ArgumentException($"Catch: the grid must be at least 2x2, got {rows}x{columns}.");
        if (balls <= 0) throw new ArgumentException($"Catch: balls per episode must be positive, got {balls}.", nameof(balls));
        Rows = rows;
        Columns = columns;
        Balls = balls;
    }

    /// <summary>Grid rows (the ball falls Rows - 1 frames).</summary>
    public int Rows { get; }

    /// <summary>Grid columns.</summary>
    public int Columns { get; }

    /// <summary>Balls per episode.</summary>
    public int Balls { get; }

    /// <summary>The ball's row (0 = top).</summary>
    public int BallRow { get; private set; }

    /// <summary>The ball's column.</summary>
    public int BallColumn { get; private set; }

    /// <summary>The paddle's column (it lives on the bottom row).</summary>
    public int PaddleColumn { get; private set; }

    /// <summary>Balls that reached the bottom this episode.</summary>
    public int BallsPlayed { get; private set; }

    /// <summary>Balls caught this episode.</summary>
    public int BallsCaught { get; private set; }

    /// <summary>True once the episode's balls are all played.</summary>
    public bool Over => BallsPlayed >= Balls;

    /// <summary>Starts an episode: paddle in the middle, first ball in a random column.</summary>
    public void Reset(NpRandom random)
    {
        PaddleColumn = Columns / 2;
        BallsPlayed = BallsCaught = 0;
        NewBall(random);
    }

    /// <summary>Advances one frame and returns its reward.</summary>
    public double Frame(int action, NpRandom random)
    {
        if ((uint)action > 2) throw new ArgumentException($"Catch: action {action} is not in Discrete(3) (0 left, 1 stay, 2 right).", nameof(action));
        if (Over) throw new InvalidOperationException("Catch: the episode is over; call Reset.");
        PaddleColumn = Math.Clamp(PaddleColumn + action - 1, 0, Columns - 1);
        BallRow++;
        if (BallRow < Rows - 1) return 0;
        BallsPlayed++;
        bool caught = BallColumn == PaddleColumn;
        if (caught) BallsCaught++;
        if (!Over) NewBall(random);
        return caught ? 1 : -1;
    }

    private void NewBall(NpRandom random)
    {
        BallRow = 0;
        BallColumn = (int)random.Integers(0, Columns);
    }
}
