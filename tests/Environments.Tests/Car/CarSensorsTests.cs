using RlPlat.Environments.Car;

namespace RlPlat.Environments.Tests.Car;

public class CarSensorsTests
{
    private static CarSensors Quiet(int trackSeed = 0) => new(new CarSensorsOptions { TrackSeed = trackSeed, SensorNoise = 0 });

    /// <summary>A line-following controller: steer against heading error and lateral offset, hold ~10 m/s.</summary>
    private static float[] Follow(float[] obs, int rays, float[] action)
    {
        float speed = obs[rays], heading = obs[rays + 1], offset = obs[rays + 2];
        action[0] = Math.Clamp(-3f * heading - 0.8f * offset, -1f, 1f);
        action[1] = speed * CarSensorsEnv<float[]>.MaxSpeed < 10 ? 1f : 0f;
        return action;
    }

    [Test]
    public void TracksAreReproducibleClosedLoopsOfTheRightWidth()
    {
        var a = new Track(3);
        var b = new Track(3);
        var c = new Track(4);
        Assert.That(a.Center(17), Is.EqualTo(b.Center(17)));
        Assert.That(a.Center(17), Is.Not.EqualTo(c.Center(17)));
        Assert.That(a.Length, Is.InRange(2 * Math.PI * 40 * 0.7, 2 * Math.PI * 40 * 1.3));
        for (int k = 0; k < a.Points; k += 7)
        {
            var (cx, cy) = a.Center(k);
            var (lx, ly, rx, ry) = a.Edges(k);
            Assert.That(Math.Sqrt((lx - cx) * (lx - cx) + (ly - cy) * (ly - cy)), Is.EqualTo(4).Within(1e-9));
            Assert.That(Math.Sqrt((rx - cx) * (rx - cx) + (ry - cy) * (ry - cy)), Is.EqualTo(4).Within(1e-9));
            var p = a.Project(cx, cy, 0, -1);
            Assert.That(p.LateralOffset, Is.EqualTo(0).Within(1e-9));
            Assert.That(p.Arc, Is.EqualTo(a.ArcAt(k)).Within(1e-9));
        }
    }

    [Test]
    public void ProjectionGivesSignedLateralOffsetPositiveLeft()
    {
        var t = new Track(1);
        var (cx, cy) = t.Center(30);
        double dir = t.Direction(30);
        var left = t.Project(cx - 2 * Math.Sin(dir) + 0.1 * Math.Cos(dir), cy + 2 * Math.Cos(dir) + 0.1 * Math.Sin(dir), 30, 5);
        Assert.That(left.Segment, Is.EqualTo(30));
        Assert.That(left.LateralOffset, Is.EqualTo(2).Within(1e-9));
        var right = t.Project(cx + 1.5 * Math.Sin(dir) + 0.1 * Math.Cos(dir), cy - 1.5 * Math.Cos(dir) + 0.1 * Math.Sin(dir), 30, 5);
        Assert.That(right.LateralOffset, Is.EqualTo(-1.5).Within(1e-9));
    }

    [Test]
    public void SideRaysFromTheCentreLineMeasureTheHalfWidth()
    {
        var t = new Track(2);
        // From a centre-line point, a ray along the local normal hits an edge at about the half width (edges sit on vertex normals).
        var (cx, cy) = t.Center(50);
        double dir = (t.Direction(49) + t.Direction(50)) / 2;
        Assert.That(t.CastRay(cx, cy, -Math.Sin(dir), Math.Cos(dir), 30), Is.EqualTo(4).Within(0.01));
        Assert.That(t.CastRay(cx, cy, Math.Sin(dir), -Math.Cos(dir), 30), Is.EqualTo(4).Within(0.01));
        Assert.That(t.CastRay(cx, cy, Math.Cos(dir), Math.Sin(dir), 1.0), Is.EqualTo(1.0), "a ray along a straight-ish track is capped at max range");
    }

    [Test]
    public void ALineFollowerDrivesALapWithRewardOneHundredPerLap()
    {
        var env = Quiet();
        var (obs, _) = env.Reset(0);
        var action = new float[2];
        double total = 0;
        for (int t = 0; t < 3000 && env.Progress < 1.0; t++)
        {
            var r = env.Step(Follow(obs, env.Rays, action));
            Assert.That(r.Terminated, Is.False, $"left the track at step {t}");
            total += r.Reward;
            obs = r.Observation;
        }
        Assert.That(env.Progress, Is.GreaterThanOrEqualTo(1.0));
        Assert.That(total, Is.EqualTo(100 * env.Progress).Within(1e-6));
    }

    [Test]
    public void SteeringOffTheTrackTerminatesWithThePenalty()
    {
        var env = Quiet();
        env.Reset(0);
        StepResult<float[]> r = default;
        int steps = 0;
        while (!r.Terminated && steps++ < 500) r = env.Step([1f, 1f]);
        Assert.That(r.Terminated, Is.True);
        Assert.That(r.Reward, Is.LessThan(-9));
        Assert.That(Math.Abs(r.Observation[env.Rays + 2]), Is.GreaterThan(1f));
    }

    [Test]
    public void LowFrictionLimitsTheYawRate()
    {
        var env = Quiet();
        env.Reset(0);
        for (int i = 0; i < 20; i++) env.Step([0f, 1f]);
        env.SetFriction(0.05);
        double yaw0 = env.Car.Yaw, speed = env.Car.Speed;
        env.Step([1f, 0f]);
        // Full lock would turn v / 2.5 * tan(0.5) rad/s; the grip allows mu g / v.
        double allowed = 0.05 * 9.81 / env.Car.Speed * 0.1;
        Assert.That(env.Car.Yaw - yaw0, Is.EqualTo(allowed).Within(1e-12));
        Assert.That(speed / 2.5 * Math.Tan(0.5) * 0.1, Is.GreaterThan(allowed * 5));
        Assert.Throws<ArgumentException>(() => env.SetFriction(0));
    }

    [Test]
    public void FailedAndDroppedSensorsReadTheirDocumentedValues()
    {
        var env = Quiet();
        env.Reset(0);
        env.FailSensor(0);
        env.FailSensor(env.Rays);
        var obs = env.Step([0f, 1f]).Observation;
        Assert.That(obs[0], Is.EqualTo(1f));
        Assert.That(obs[env.Rays], Is.EqualTo(0f));
        Assert.That(obs[1], Is.EqualTo(env.CleanReadings[1]));
        env.RepairSensors();
        Assert.That(env.Step([0f, 1f]).Observation[env.Rays], Is.GreaterThan(0f));
        var ex = Assert.Throws<ArgumentException>(() => env.FailSensor(99));
        Assert.That(ex!.Message, Does.Contain("99"));

        var dropping = new CarSensors(new CarSensorsOptions { Dropout = 1.0, SensorNoise = 0 });
        var dropped = dropping.Reset(0).Observation;
        Assert.That(dropped[..dropping.Rays], Is.All.EqualTo(1f));
    }

    [Test]
    public void NoiseIsGaussianAroundTheCleanReading()
    {
        var env = new CarSensors(new CarSensorsOptions { SensorNoise = 0 });
        env.Reset(0);
        Assert.That(env.Step([0f, 0.2f]).Observation.AsSpan(0, env.Rays).ToArray(), Is.EqualTo(env.CleanReadings[..env.Rays].ToArray()));
        env.SetSensorNoise(0.05);
        double sum = 0, sq = 0;
        int n = 0;
        for (int t = 0; t < 400; t++)
        {
            var obs = env.Step([0f, 0f]).Observation;
            // The heading-error reading sits well inside [-1, 1], so clipping does not bias it.
            double e = obs[env.Rays + 1] - env.CleanReadings[env.Rays + 1];
            sum += e;
            sq += e * e;
            n++;
        }
        Assert.That(sum / n, Is.EqualTo(0).Within(0.01));
        Assert.That(Math.Sqrt(sq / n), Is.EqualTo(0.05).Within(0.01));
    }

    [Test]
    public void LidarHoldsItsReadingBetweenUpdates()
    {
        var env = new CarSensors(new CarSensorsOptions { SensorNoise = 0, LidarEvery = 3 });
        env.Reset(0);
        var first = env.Step([0.5f, 1f]).Observation[..env.Rays];
        var second = env.Step([0.5f, 1f]).Observation[..env.Rays];
        Assert.That(second, Is.EqualTo(first));
        var third = env.Step([0.5f, 1f]).Observation[..env.Rays];
        Assert.That(third, Is.Not.EqualTo(first), "step 3 refreshes the range finders");
    }

    [Test]
    public void SameSeedGivesTheSameEpisode()
    {
        float[][] Run(int seed)
        {
            var env = new CarSensors(new CarSensorsOptions { Dropout = 0.1 });
            var list = new List<float[]> { (float[])env.Reset(seed).Observation.Clone() };
            for (int t = 0; t < 50; t++) list.Add((float[])env.Step([0.1f, 0.5f]).Observation.Clone());
            return list.ToArray();
        }
        Assert.That(Run(5), Is.EqualTo(Run(5)));
        Assert.That(Run(5), Is.Not.EqualTo(Run(6)));
    }

    [Test]
    public void NewTrackReplacesTheTrackAndRestartsTheCarOnIt()
    {
        var env = Quiet();
        env.Reset(0);
        env.NewTrack(9);
        Assert.That(env.Track.Seed, Is.EqualTo(9));
        var (x, y, _, _) = env.Car;
        Assert.That((x, y), Is.EqualTo(env.Track.Center(0)));
        Assert.That(env.Step([0f, 0.5f]).Terminated, Is.False);
    }

    [Test]
    public void DiscreteVariantMapsActionsToControls()
    {
        var env = new CarSensorsDiscrete(new CarSensorsOptions { SensorNoise = 0 });
        env.Reset(0);
        double v0 = env.Car.Speed;
        env.Step(1);
        Assert.That(env.Car.Speed, Is.GreaterThan(v0));
        double yaw = env.Car.Yaw;
        env.Step(3);
        Assert.That(env.Car.Yaw, Is.GreaterThan(yaw), "action 3 turns left");
        Assert.Throws<ArgumentException>(() => env.Step(5));
    }

    [Test]
    public void StepsAllocateNothing()
    {
        var env = Gym.Make<float[], float[]>("CarSensors-v0");
        env.Reset(0);
        float[] action = [0.2f, 0.5f];
        for (int i = 0; i < 100; i++) if (env.Step(action).Done) env.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) if (env.Step(action).Done) env.Reset();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [Test]
    public void RenderDrawsTrackCarAndRays()
    {
        var env = Quiet();
        env.Reset(0);
        var frame = env.Render()!;
        Assert.That((frame.Height, frame.Width), Is.EqualTo((400, 400)));
        int red = 0, grey = 0, yellow = 0;
        for (int i = 0; i < frame.Pixels.Length; i += 3)
        {
            var (r, g, b) = (frame.Pixels[i], frame.Pixels[i + 1], frame.Pixels[i + 2]);
            if (r == 220 && g == 30 && b == 30) red++;
            if (r == 110 && g == 110 && b == 110) grey++;
            if (r == 255 && g == 220 && b == 0) yellow++;
        }
        Assert.That(red, Is.GreaterThan(0), "car");
        Assert.That(grey, Is.GreaterThan(1000), "track");
        Assert.That(yellow, Is.GreaterThan(0), "rays");
    }
}
