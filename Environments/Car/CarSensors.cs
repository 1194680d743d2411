using RlPlat.Environments.Rendering;

namespace RlPlat.Environments.Car;

/// <summary>The settings of a <see cref="CarSensorsEnv{TAction}"/> (the kwargs of <c>CarSensors-v0</c>).</summary>
public sealed record CarSensorsOptions
{
    /// <summary>Seed of the generated track (resets keep the track; <c>NewTrack</c> replaces it).</summary>
    public int TrackSeed { get; init; }
    /// <summary>Nominal track radius in metres.</summary>
    public double TrackRadius { get; init; } = 40;
    /// <summary>Half the track width in metres.</summary>
    public double HalfWidth { get; init; } = 4;
    /// <summary>Number of range finders.</summary>
    public int Rays { get; init; } = 9;
    /// <summary>Angle covered by the rays, centred on the heading, in degrees.</summary>
    public double RaySpreadDegrees { get; init; } = 180;
    /// <summary>Range finder reach in metres.</summary>
    public double MaxRange { get; init; } = 30;
    /// <summary>Standard deviation of the Gaussian noise added to every (normalized) reading.</summary>
    public double SensorNoise { get; init; } = 0.01;
    /// <summary>Probability that a ray reading drops out for one update (it then reads 1, no return).</summary>
    public double Dropout { get; init; }
    /// <summary>Range finders refresh every this many steps (holding their last reading in between).</summary>
    public int LidarEvery { get; init; } = 1;
    /// <summary>Speed/heading/offset sensors refresh every this many steps.</summary>
    public int OdometryEvery { get; init; } = 1;
    /// <summary>Tyre grip coefficient: scales traction and the lateral acceleration limit (mu * g).</summary>
    public double Friction { get; init; } = 1.0;
    /// <summary>Time step in seconds.</summary>
    public double Dt { get; init; } = 0.1;

    /// <summary>Reads the options from Gymnasium-style snake_case kwargs.</summary>
    public static CarSensorsOptions FromKwargs(Kwargs k) => new()
    {
        TrackSeed = k.Int("track_seed", 0),
        TrackRadius = k.Double("track_radius", 40),
        HalfWidth = k.Double("half_width", 4),
        Rays = k.Int("rays", 9),
        RaySpreadDegrees = k.Double("ray_spread_deg", 180),
        MaxRange = k.Double("max_range", 30),
        SensorNoise = k.Double("sensor_noise", 0.01),
        Dropout = k.Double("dropout", 0),
        LidarEvery = k.Int("lidar_every", 1),
        OdometryEvery = k.Int("odometry_every", 1),
        Friction = k.Double("friction", 1.0),
        Dt = k.Double("dt", 0.1),
    };
}

/// <summary>
/// A car on a generated 2D track with a kinematic bicycle model (wheelbase 2.5 m, steering up to 0.5 rad, engine/brake
/// 6 m/s^2 times the grip, drag 0.05 v, speed in [0, 25] m/s, yaw rate limited by the grip to mu g / v).
/// Observation (float32): N range-finder distances / max range in [0, 1], speed / 25 in [0, 1], heading error to the
/// track direction / pi in [-1, 1], lateral offset / half width clipped to [-2, 2]; each reading gets Gaussian noise
/// and is clipped back into its bounds. A dropped or failed ray reads 1 (no return); a failed odometry sensor reads 0.
/// Reward: 100 x (metres of progress along the centre line) / lap length, so one lap pays 100; leaving the track
/// (|offset| &gt; half width) costs 10 and terminates. Truncation comes from the registration's step limit.
/// </summary>
public abstract class CarSensorsEnv<TAction> : Env<float[], TAction>
{
    /// <summary>Speed limit in m/s.</summary>
    public const double MaxSpeed = 25;
    private const double Wheelbase = 2.5, MaxSteer = 0.5, MaxAccel = 6, Drag = 0.05, G = 9.81, OffTrackPenalty = 10;

    private readonly float[] observation, clean;
    private readonly bool[] failed;
    private readonly double[] rayAngles;
    private readonly Box observationSpace;
    private Track track;
    private double x, y, yaw, speed, progressMetres, lastArc;
    private int segment, steps;
    private double noise, friction;

    /// <summary>Builds the env with <paramref name="options"/>.</summary>
    protected CarSensorsEnv(CarSensorsOptions options)
    {
        if (options.Rays < 1) throw new ArgumentException($"CarSensors: need at least 1 ray, got {options.Rays}.");
        if (options.LidarEvery < 1 || options.OdometryEvery < 1)
            throw new ArgumentException($"CarSensors: update periods must be >= 1 step, got lidar {options.LidarEvery}, odometry {options.OdometryEvery}.");
        if (options.Dropout is < 0 or > 1) throw new ArgumentException($"CarSensors: dropout must be in [0, 1], got {options.Dropout}.");
        if (!(options.MaxRange > 0) || !(options.Dt > 0)) throw new ArgumentException($"CarSensors: max range ({options.MaxRange}) and dt ({options.Dt}) must be positive.");
        Options = options;
        SetSensorNoise(options.SensorNoise);
        SetFriction(options.Friction);
        track = new Track(options.TrackSeed, options.TrackRadius, options.HalfWidth);
        int n = options.Rays;
        rayAngles = new double[n];
        double spread = options.RaySpreadDegrees * Math.PI / 180;
        for (int i = 0; i < n; i++) rayAngles[i] = n == 1 ? 0 : -spread / 2 + spread * i / (n - 1);
        observation = new float[n + 3];
        clean = new float[n + 3];
        failed = new bool[n + 3];
        var low = new double[n + 3];
        var high = new double[n + 3];
        Array.Fill(high, 1.0);
        low[n + 1] = -1;
        low[n + 2] = -2;
        high[n + 2] = 2;
        observationSpace = new Box(low, high);
    }

    /// <summary>The settings the env was built with (noise and friction may since have changed).</summary>
    public CarSensorsOptions Options { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <summary>The current track.</summary>
    public Track Track => track;

    /// <summary>The car's pose and speed: x, y (metres), yaw (radians), speed (m/s).</summary>
    public (double X, double Y, double Yaw, double Speed) Car => (x, y, yaw, speed);

    /// <summary>Laps covered since reset, with the fraction of the current lap (signed: driving backwards lowers it).</summary>
    public double Progress => progressMetres / track.Length;

    /// <summary>The current tyre grip coefficient.</summary>
    public double Friction => friction;

    /// <summary>The current sensor noise standard deviation.</summary>
    public double SensorNoise => noise;

    /// <summary>The number of range finders (observation entries 0..Rays-1).</summary>
    public int Rays => rayAngles.Length;

    /// <summary>Changes the tyre grip (e.g. rain) while running.</summary>
    public void SetFriction(double mu)
    {
        if (!(mu > 0)) throw new ArgumentException($"CarSensors.SetFriction: friction must be positive, got {mu}.", nameof(mu));
        friction = mu;
    }

    /// <summary>Changes the Gaussian sensor noise while running.</summary>
    public void SetSensorNoise(double std)
    {
        if (!(std >= 0)) throw new ArgumentException($"CarSensors.SetSensorNoise: standard deviation must be >= 0, got {std}.", nameof(std));
        noise = std;
    }

    /// <summary>Breaks observation entry <paramref name="index"/> for good (rays read 1, odometry reads 0) until <see cref="RepairSensors"/>.</summary>
    public void FailSensor(int index)
    {
        if ((uint)index >= (uint)failed.Length) throw new ArgumentException($"CarSensors.FailSensor: index {index} is outside 0..{failed.Length - 1}.", nameof(index));
        failed[index] = true;
        ApplyFailures();
    }

    /// <summary>Repairs every failed sensor.</summary>
    public void RepairSensors() => Array.Clear(failed);

    /// <summary>Replaces the track with the one generated from <paramref name="seed"/> and puts the car at its start, keeping its speed.</summary>
    public void NewTrack(int seed)
    {
        track = new Track(seed, Options.TrackRadius, Options.HalfWidth);
        PlaceAt(0, 0, 0, speed);
        ReadSensors(lidar: true, odometry: true);
    }

    /// <summary>Applies one control: <paramref name="steer"/> in [-1, 1] (positive turns left), <paramref name="throttle"/> in [-1, 1] (negative brakes).</summary>
    protected StepResult<float[]> Drive(double steer, double throttle)
    {
        if (double.IsNaN(steer) || double.IsNaN(throttle)) throw new ArgumentException($"CarSensors: action ({steer}, {throttle}) contains NaN.");
        steer = Math.Clamp(steer, -1, 1);
        throttle = Math.Clamp(throttle, -1, 1);
        double dt = Options.Dt;
        speed = Math.Clamp(speed + (throttle * MaxAccel * Math.Min(friction, 1.0) - Drag * speed) * dt, 0, MaxSpeed);
        double yawRate = speed / Wheelbase * Math.Tan(steer * MaxSteer);
        double maxYawRate = friction * G / Math.Max(speed, 0.1);
        yaw += Math.Clamp(yawRate, -maxYawRate, maxYawRate) * dt;
        x += speed * Math.Cos(yaw) * dt;
        y += speed * Math.Sin(yaw) * dt;

        var p = track.Project(x, y, segment, 6);
        double delta = p.Arc - lastArc;
        // Crossing the start line wraps the arc position: take the short way round.
        if (delta > track.Length / 2) delta -= track.Length;
        else if (delta < -track.Length / 2) delta += track.Length;
        progressMetres += delta;
        lastArc = p.Arc;
        segment = p.Segment;

        steps++;
        ReadSensors(steps % Options.LidarEvery == 0, steps % Options.OdometryEvery == 0);
        bool offTrack = Math.Abs(p.LateralOffset) > track.HalfWidth;
        double reward = 100 * delta / track.Length - (offTrack ? OffTrackPenalty : 0);
        return new StepResult<float[]>(observation, reward, offTrack, false, Info.Empty);
    }

    /// <inheritdoc />
    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        // A random start along the track, slightly off-centre and off-heading, rolling slowly.
        int start = (int)NpRandom.Integers(0, track.Points);
        PlaceAt(start, NpRandom.Uniform(-0.5, 0.5), NpRandom.Uniform(-0.1, 0.1), NpRandom.Uniform(0, 2));
        progressMetres = 0;
        steps = 0;
        ReadSensors(lidar: true, odometry: true);
        return (observation, Info.Empty);
    }

    private void PlaceAt(int k, double lateral, double headingError, double startSpeed)
    {
        var (px, py) = track.Center(k);
        double dir = track.Direction(k);
        x = px - lateral * Math.Sin(dir);
        y = py + lateral * Math.Cos(dir);
        yaw = dir + headingError;
        speed = startSpeed;
        var p = track.Project(x, y, k, -1);
        segment = p.Segment;
        lastArc = p.Arc;
    }

    private void ReadSensors(bool lidar, bool odometry)
    {
        int n = rayAngles.Length;
        if (lidar)
            for (int i = 0; i < n; i++)
            {
                double a = yaw + rayAngles[i];
                clean[i] = (float)(track.CastRay(x, y, Math.Cos(a), Math.Sin(a), Options.MaxRange) / Options.MaxRange);
                observation[i] = Options.Dropout > 0 && NpRandom.Random() < Options.Dropout ? 1f : Noisy(clean[i], 0, 1);
            }
        if (odometry)
        {
            var p = track.Project(x, y, segment, 6);
            double headingError = Math.IEEERemainder(yaw - p.Direction, 2 * Math.PI);
            clean[n] = (float)(speed / MaxSpeed);
            clean[n + 1] = (float)(headingError / Math.PI);
            clean[n + 2] = (float)Math.Clamp(p.LateralOffset / track.HalfWidth, -2, 2);
            observation[n] = Noisy(clean[n], 0, 1);
            observation[n + 1] = Noisy(clean[n + 1], -1, 1);
            observation[n + 2] = Noisy(clean[n + 2], -2, 2);
        }
        ApplyFailures();
    }

    private float Noisy(float value, double low, double high) =>
        noise > 0 ? (float)Math.Clamp(value + noise * NpRandom.Normal(), low, high) : value;

    private void ApplyFailures()
    {
        for (int i = 0; i < failed.Length; i++)
            if (failed[i]) observation[i] = i < rayAngles.Length ? 1f : 0f;
    }

    /// <summary>The noise-free readings of the last sensor update (for tests and diagnostics).</summary>
    public ReadOnlySpan<float> CleanReadings => clean;

    /// <summary>Draws the track, the car and its range-finder rays (400x400, y up).</summary>
    public override RenderFrame? Render()
    {
        const int size = 400;
        var canvas = new Canvas(size, size);
        canvas.Clear(new Rgb(102, 204, 102));
        double extent = 0;
        for (int k = 0; k < track.Points; k++)
        {
            var (l0, l1, r0, r1) = track.Edges(k);
            extent = Math.Max(extent, Math.Max(Math.Max(Math.Abs(l0), Math.Abs(l1)), Math.Max(Math.Abs(r0), Math.Abs(r1))));
        }
        double scale = size / (2 * extent * 1.05);
        double Sx(double wx) => size / 2.0 + wx * scale;
        double Sy(double wy) => size / 2.0 - wy * scale;
        for (int k = 0; k < track.Points; k++)
        {
            var (al, bl, ar, br) = track.Edges(k);
            var (cl, dl, cr, dr) = track.Edges(k + 1);
            canvas.FillPolygon([Sx(al), Sy(bl), Sx(cl), Sy(dl), Sx(cr), Sy(dr), Sx(ar), Sy(br)], new Rgb(110, 110, 110));
        }
        for (int i = 0; i < rayAngles.Length; i++)
        {
            double a = yaw + rayAngles[i], d = clean[i] * Options.MaxRange;
            canvas.DrawLine(Sx(x), Sy(y), Sx(x + d * Math.Cos(a)), Sy(y + d * Math.Sin(a)), 1, new Rgb(255, 220, 0));
        }
        double c = Math.Cos(yaw), s = Math.Sin(yaw), len = 2.5, wid = 1.2;
        canvas.FillPolygon([Sx(x + len * c), Sy(y + len * s), Sx(x - len * c - wid * s), Sy(y - len * s + wid * c), Sx(x - len * c + wid * s), Sy(y - len * s - wid * c)], new Rgb(220, 30, 30));
        return canvas.ToFrame();
    }
}

/// <summary><c>CarSensors-v0</c>: continuous actions [steer, throttle], each in [-1, 1].</summary>
public sealed class CarSensors : CarSensorsEnv<float[]>
{
    private readonly Box actionSpace = new(-1, 1, [2]);

    /// <summary>A car-sensors env with the given options (defaults when null).</summary>
    public CarSensors(CarSensorsOptions? options = null) : base(options ?? new CarSensorsOptions()) { }

    /// <summary>Builds from kwargs (see <see cref="CarSensorsOptions.FromKwargs"/>).</summary>
    public static CarSensors FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("CarSensors", kwargs);
        var options = CarSensorsOptions.FromKwargs(k);
        k.EnsureAllUsed();
        return new CarSensors(options);
    }

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <inheritdoc />
    public override StepResult<float[]> Step(float[] action)
    {
        if (action == null || action.Length != 2) throw new ArgumentException($"CarSensors: action must be [steer, throttle], got {action?.Length ?? 0} values.", nameof(action));
        return Drive(action[0], action[1]);
    }
}

/// <summary>
/// <c>CarSensorsDiscrete-v0</c>: five actions: 0 coast, 1 accelerate, 2 brake, 3 steer left with half throttle,
/// 4 steer right with half throttle.
/// </summary>
public sealed class CarSensorsDiscrete : CarSensorsEnv<int>
{
    private static readonly (double Steer, double Throttle)[] Controls = [(0, 0), (0, 1), (0, -1), (1, 0.5), (-1, 0.5)];
    private readonly Discrete actionSpace = new(Controls.Length);

    /// <summary>A discrete car-sensors env with the given options (defaults when null).</summary>
    public CarSensorsDiscrete(CarSensorsOptions? options = null) : base(options ?? new CarSensorsOptions()) { }

    /// <summary>Builds from kwargs (see <see cref="CarSensorsOptions.FromKwargs"/>).</summary>
    public static CarSensorsDiscrete FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("CarSensorsDiscrete", kwargs);
        var options = CarSensorsOptions.FromKwargs(k);
        k.EnsureAllUsed();
        return new CarSensorsDiscrete(options);
    }

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <inheritdoc />
    public override StepResult<float[]> Step(int action)
    {
        if (!actionSpace.Contains(action)) throw new ArgumentException($"CarSensorsDiscrete: action {action} is not in {actionSpace}.", nameof(action));
        var (steer, throttle) = Controls[action];
        return Drive(steer, throttle);
    }
}
