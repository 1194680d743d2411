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
