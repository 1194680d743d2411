using RlPlat.Environments.Rendering;

namespace RlPlat.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>MountainCar-v0</c>: an under-powered car in a valley; actions 0/1/2 push left/none/right;
/// reward -1 per step; terminates at position &gt;= 0.5 with velocity &gt;= goal velocity.
/// </summary>
public sealed class MountainCar : Env<float[], int>
{
    internal const double MinPosition = -1.2, MaxPosition = 0.6, MaxSpeed = 0.07, Force = 0.001, Gravity = 0.0025;

    private readonly double[] state = new double[2];
    private readonly float[] observation = new float[2];
    private readonly Box observationSpace = new([MinPosition, -MaxSpeed], [MaxPosition, MaxSpeed]);
    private readonly Discrete actionSpace = new(3);

    /// <summary>A mountain car whose goal also needs velocity &gt;= <paramref name="goalVelocity"/>.</summary>
    public MountainCar(double goalVelocity = 0) => GoalVelocity = goalVelocity;

    /// <summary>Builds from Gymnasium kwargs: <c>goal_velocity</c>.</summary>
    public static MountainCar FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("MountainCar", kwargs);
        var env = new MountainCar(k.Double("goal_velocity", 0));
        k.EnsureAllUsed();
        return env;
    }

    /// <summary>The goal position (0.5).</summary>
    public double GoalPosition => 0.5;

    /// <summary>The velocity the car must have at the goal.</summary>
    public double GoalVelocity { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <summary>The float64 internal state [position, velocity]; settable.</summary>
    public double[] State
    {
        get => (double[])state.Clone();
        set => ClassicControlUtils.SetState(state, value, "MountainCar");
    }

    /// <inheritdoc />
    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ClassicControlUtils.ResetBounds(options, -0.6, -0.4, "MountainCar");
        state[0] = NpRandom.Uniform(low, high);
        state[1] = 0;
        return (Observe(), Info.Empty);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(int action)
    {
        if (!actionSpace.Contains(action)) throw new ArgumentException($"MountainCar: action {action} is not in {actionSpace}.", nameof(action));
        double position = state[0], velocity = state[1];
        velocity += (action - 1) * Force + Math.Cos(3 * position) * -Gravity;
        velocity = Math.Clamp(velocity, -MaxSpeed, MaxSpeed);
        position += velocity;
        position = Math.Clamp(position, MinPosition, MaxPosition);
        if (position == MinPosition && velocity < 0) velocity = 0;
        bool terminated = position >= GoalPosition && velocity >= GoalVelocity;
        state[0] = position;
        state[1] = velocity;
        return new StepResult<float[]>(Observe(), -1.0, terminated, false, Info.Empty);
    }

    private float[] Observe()
    {
        observation[0] = (float)state[0];
        observation[1] = (float)state[1];
        return observation;
    }

    /// <inheritdoc />
    public override RenderFrame? Render() => MountainCarDrawing.Draw(state[0], GoalPosition);
}

/// <summary>
/// Gymnasium's <c>MountainCarContinuous-v0</c>: force = clip(action, -1, 1) * 0.0015; reward +100 at the goal
/// (position &gt;= 0.45) minus 0.1 * action^2 per step. The state is stored as float32 after each step, as Gymnasium does.
/// </summary>
public sealed class MountainCarContinuous : Env<float[], float[]>
{
    private const double Power = 0.0015, GoalPositionValue = 0.45;

    private readonly double[] state = new double[2];
    private readonly float[] observation = new float[2];
    private readonly Box observationSpace = new([MountainCar.MinPosition, -MountainCar.MaxSpeed], [MountainCar.MaxPosition, MountainCar.MaxSpeed]);
    private readonly Box actionSpace = new(-1.0, 1.0, [1]);

    /// <summary>A continuous mountain car whose goal also needs velocity &gt;= <paramref name="goalVelocity"/>.</summary>
    public MountainCarContinuous(double goalVelocity = 0) => GoalVelocity = goalVelocity;

    /// <summary>Builds from Gymnasium kwargs: <c>goal_velocity</c>.</summary>
    public static MountainCarContinuous FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("MountainCarContinuous", kwargs);
        var env = new MountainCarContinuous(k.Double("goal_velocity", 0));
        k.EnsureAllUsed();
        return env;
    }

    /// <summary>The velocity the car must have at the goal.</summary>
    public double GoalVelocity { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <summary>The internal state [position, velocity]; settable.</summary>
    public double[] State
    {
        get => (double[])state.Clone();
        set => ClassicControlUtils.SetState(state, value, "MountainCarContinuous");
    }

    /// <inheritdoc />
    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ClassicControlUtils.ResetBounds(options, -0.6, -0.4, "MountainCarContinuous");
        state[0] = NpRandom.Uniform(low, high);
        state[1] = 0;
        return (Observe(), Info.Empty);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(float[] action)
    {
        if (action == null || action.Length != 1) throw new ArgumentException($"MountainCarContinuous: action must have 1 value, got {action?.Length ?? 0}.", nameof(action));
        double position = state[0], velocity = state[1];
        double force = Math.Min(Math.Max(action[0], -1.0f), 1.0f);
        velocity += force * Power - 0.0025 * Math.Cos(3 * position);
        if (velocity > MountainCar.MaxSpeed) velocity = MountainCar.MaxSpeed;
        if (velocity < -MountainCar.MaxSpeed) velocity = -MountainCar.MaxSpeed;
        position += velocity;
        if (position > MountainCar.MaxPosition) position = MountainCar.MaxPosition;
        if (position < MountainCar.MinPosition) position = MountainCar.MinPosition;
        if (position == MountainCar.MinPosition && velocity < 0) velocity = 0;
        bool terminated = position >= GoalPositionValue && velocity >= GoalVelocity;
        double reward = terminated ? 100.0 : 0.0;
        reward -= Math.Pow(action[0], 2) * 0.1;
        // Gymnasium keeps this env's state as a float32 array.
        state[0] = (float)position;
        state[1] = (float)velocity;
        return new StepResult<float[]>(Observe(), reward, terminated, false, Info.Empty);
    }

    private float[] Observe()
    {
        observation[0] = (float)state[0];
        observation[1] = (float)state[1];
        return observation;
    }

    /// <inheritdoc />
    public override RenderFrame? Render() => MountainCarDrawing.Draw(state[0], GoalPositionValue);
}

/// <summary>The mountain-car picture shared by both variants (600x400, hill y = sin(3x) * 0.45 + 0.55).</summary>
internal static class MountainCarDrawing
{
    public static RenderFrame Draw(double position, double goal)
    {
        const int width = 600, height = 400;
        double scale = width / (MountainCar.MaxPosition - MountainCar.MinPosition);
        var canvas = new Canvas(width, height);
        double Hill(double x) => Math.Sin(3 * x) * 0.45 + 0.55;
        double prevX = 0, prevY = height - Hill(MountainCar.MinPosition) * scale;
        for (int i = 1; i <= 100; i++)
        {
            double x = MountainCar.MinPosition + i * (MountainCar.MaxPosition - MountainCar.MinPosition) / 100;
            double px = (x - MountainCar.MinPosition) * scale, py = height - Hill(x) * scale;
            canvas.DrawLine(prevX, prevY, px, py, 2, Rgb.Black);
            (prevX, prevY) = (px, py);
        }
        double flagX = (goal - MountainCar.MinPosition) * scale, flagY = height - Hill(goal) * scale;
        canvas.DrawLine(flagX, flagY, flagX, flagY - 50, 2, Rgb.Black);
        canvas.FillPolygon([flagX, flagY - 50, flagX, flagY - 40, flagX + 25, flagY - 45], new Rgb(204, 204, 0));
        double carX = (position - MountainCar.MinPosition) * scale, carY = height - Hill(position) * scale - 10;
        canvas.FillCircle(carX, carY, 10, Rgb.Black);
        return canvas.ToFrame();
    }
}
