using RlPlat.Environments.Games;

namespace RlPlat.Environments.Tests.Games;

public class CatchTests
{
    [Test]
    public void BallFallsOneRowPerFrameAndACatchPaysOne()
    {
        var env = new Catch(rows: 4, columns: 3, balls: 2);
        var (obs, _) = env.Reset(0);
        int column = env.Game.BallColumn;
        Assert.That(obs, Is.EqualTo(new[] { column / 2f, 0f, 0.5f }));
        // Move the paddle under the ball, then wait: the ball reaches row 3 on the third frame.
        int action = column == 1 ? 1 : column == 0 ? 0 : 2;
        var r1 = env.Step(action);
        Assert.That(r1.Observation[1], Is.EqualTo(1 / 3f));
        Assert.That(r1.Reward, Is.EqualTo(0));
        env.Step(1);
        var r3 = env.Step(1);
        Assert.That(r3.Reward, Is.EqualTo(1));
        Assert.That(r3.Observation[1], Is.EqualTo(0f), "a new ball starts at the top");
        Assert.That(r3.Terminated, Is.False);
        Assert.That(env.Game.BallsCaught, Is.EqualTo(1));
    }

    [Test]
    public void AMissPaysMinusOneAndTheLastBallEndsTheEpisode()
    {
        var env = new Catch(rows: 3, columns: 5, balls: 1);
        env.Reset(1);
        int column = env.Game.BallColumn;
        // Run away from the ball: it is never under the paddle after two frames.
        int away = column >= 2 ? 0 : 2;
        env.Step(away);
        var r = env.Step(away);
        Assert.That(env.Game.PaddleColumn, Is.Not.EqualTo(column));
        Assert.That(r.Reward, Is.EqualTo(-1));
        Assert.That(r.Terminated, Is.True);
        Assert.Throws<InvalidOperationException>(() => env.Step(1));
    }

    [Test]
    public void FrameSkipRepeatsTheActionAndSumsRewards()
    {
        var env = new Catch(rows: 10, columns: 5, balls: 2, frameSkip: 9);
        env.Reset(3);
        var r = env.Step(0);
        Assert.That(env.Game.BallsPlayed, Is.EqualTo(1), "nine frames bring the ball to the bottom");
        Assert.That(env.Game.PaddleColumn, Is.EqualTo(0));
        Assert.That(r.Reward, Is.EqualTo(env.Game.BallsCaught == 1 ? 1 : -1));
    }

    [Test]
    public void ChasingTheBallWinsEveryBallAndStayingStillDoesNot()
    {
        var env = Gym.Make<float[], int>("Catch-v0");
        var (obs, _) = env.Reset(5);
        double total = 0;
        int steps = 0;
        StepResult<float[]> r;
        do
        {
            int action = obs[0] < obs[2] ? 0 : obs[0] > obs[2] ? 2 : 1;
            r = env.Step(action);
            obs = r.Observation;
            total += r.Reward;
            steps++;
        } while (!r.Done);
        Assert.That(total, Is.EqualTo(10));
        Assert.That(steps, Is.EqualTo(90));

        env.Reset(5);
        total = 0;
        do
        {
            r = env.Step(1);
            total += r.Reward;
        } while (!r.Done);
        Assert.That(total, Is.LessThan(10));
    }

    [Test]
    public void PixelObservationDrawsBallAndPaddleCells()
    {
        var env = new CatchPixels(size: 20, rows: 10, columns: 5);
        var (pixels, _) = env.Reset(2);
        int column = env.Game.BallColumn;
        Assert.That(pixels.Length, Is.EqualTo(400));
        // Cells are 4 wide and 2 high: the ball fills rows 0-1 of columns 4c..4c+3, the paddle rows 18-19 of columns 8-11.
        Assert.That(pixels[0 * 20 + 4 * column], Is.EqualTo(255));
        Assert.That(pixels[1 * 20 + 4 * column + 3], Is.EqualTo(255));
        Assert.That(pixels[19 * 20 + 8], Is.EqualTo(255));
        Assert.That(pixels[19 * 20 + 12], Is.EqualTo(0));
        int lit = pixels.Count(p => p == 255);
        Assert.That(lit, Is.EqualTo(16), "two 4x2 cells");
        Assert.That(env.ObservationSpace.Shape, Is.EqualTo(new[] { 20, 20 }));
        var rgb = new CatchPixels(size: 84, grayscale: false);
        Assert.That(rgb.Reset(0).Observation.Length, Is.EqualTo(84 * 84 * 3));
    }

    [Test]
    public void SameSeedGivesTheSameBalls()
    {
        int[] Columns(int seed)
        {
            var env = new Catch(balls: 5, frameSkip: 9);
            env.Reset(seed);
            var cols = new List<int> { env.Game.BallColumn };
            for (int i = 0; i < 4; i++)
            {
                env.Step(1);
                cols.Add(env.Game.BallColumn);
            }
            return cols.ToArray();
        }
        Assert.That(Columns(11), Is.EqualTo(Columns(11)));
        Assert.That(Columns(11), Is.Not.EqualTo(Columns(12)));
    }
}
