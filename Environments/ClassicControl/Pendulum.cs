using RlPlat.Environments.Rendering;

namespace RlPlat.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>Pendulum-v1</c>: swing a pendulum up with a torque in [-2, 2]; observation
/// float32 [cos th, sin th, th_dot]; reward -(angle_normalize(th)^2 + 0.1 th_dot^2 + 0.001 u^2); never terminates.
/// </summary>
public sealed class Pendulum : Env<float[], float[]>
{
    private const double MaxSpeed = 8, MaxTorque = 2.0, Dt = 0.05, Mass = 1.0, Len = 1.0;

    private readonly double[] state = new double[2];
    private readonly float[] observation = new float[3];
    private readonly Box observationSpace = new([-1.0, -1.0, -MaxSpeed], [1.0, 1.0, MaxSpeed]);
    private readonly Box actionSpace = new(-MaxTorque, MaxTorque, [1]);

    /// <summary>A pendulum under gravity <paramref name="g"/> (Gymnasium's default 10).</summary>
    public Pendulum(double g = 10.0) => G = g;

    /// <summary>Builds from Gymnasium kwargs: <c>g</c>.</summary>
    public static Pendulum FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("Pendulum", kwargs);
        var env = new Pendulum(k.Double("g", 10.0));
        k.EnsureAllUsed();
        return env;
    }

    /// <summary>Gravity.</summary>
    public double G { get; }

    /// <summary>The last applied (clipped) torque, or null after reset.</summary>
    public float? LastTorque { get; private set; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <summary>The float64 internal state [theta, theta_dot]; settable.</summary>
    public double[] State
    {
        get => (double[])state.Clone();
        set => ClassicControlUtils.SetState(state, value, "Pendulum");
    }

    /// <inheritdoc />
    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        double x = Math.PI, y = 1.0;
        if (options != null)
        {
            if (options.TryGetValue("x_init", out var xi) && xi != null) x = Convert.ToDouble(xi, System.Globalization.CultureInfo.InvariantCulture);
            if (options.TryGetValue("y_init", out var yi) && yi != null) y = Convert.ToDouble(yi, System.Globalization.CultureInfo.InvariantCulture);
        }
        state[0] = NpRandom.Uniform(-x, x);
        state[1] = NpRandom.Uniform(-y, y);
        LastTorque = null;
        return (Observe(), Info.Empty);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(float[] action)
    {
        if (action == null || action.Length != 1) throw new ArgumentException($"Pendulum: action must have 1 value, got {action?.Length ?? 0}.", nameof(action));
        double th = state[0], thDot = state[1];
        float u = Math.Clamp(action[0], (float)-MaxTorque, (float)MaxTorque);
        LastTorque = u;
        // u ** 2 is a float32 product in Gymnasium (u is np.float32).
        float u2 = u * u;
        double costs = Square(AngleNormalize(th)) + 0.1 * (thDot * thDot) + 0.001 * u2;
        double newThDot = thDot + (3 * G / (2 * Len) * Math.Sin(th) + 3.0 / (Mass * Len * Len) * u) * Dt;
        newThDot = Math.Clamp(newThDot, -MaxSpeed, MaxSpeed);
        double newTh = th + newThDot * Dt;
        state[0] = newTh;
        state[1] = newThDot;
        return new StepResult<float[]>(Observe(), -costs, false, false, Info.Empty);
    }

    /// <summary>((x + pi) mod 2pi) - pi, with numpy's floor modulo.</summary>
    public static double AngleNormalize(double x) => ClassicControlUtils.FloorMod(x + Math.PI, 2 * Math.PI) - Math.PI;

    private static double Square(double x) => x * x;

    private float[] Observe()
    {
        observation[0] = (float)Math.Cos(state[0]);
        observation[1] = (float)Math.Sin(state[0]);
        observation[2] = (float)state[1];
        return observation;
    }

    /// <summary>Draws the rod from the pivot (500x500, theta = 0 is up).</summary>
    public override RenderFrame? Render()
    {
        const int size = 500;
        var canvas = new Canvas(size, size);
        double scale = size / 4.4, cx = size / 2.0, cy = size / 2.0;
        double tipX = cx + scale * Len * Math.Sin(state[0]), tipY = cy - scale * Len * Math.Cos(state[0]);
        canvas.DrawLine(cx, cy, tipX, tipY, 0.2 * scale, new Rgb(204, 77, 77));
        canvas.FillCircle(tipX, tipY, 0.1 * scale, new Rgb(204, 77, 77));
        canvas.FillCircle(cx, cy, 0.05 * scale, Rgb.Black);
        return canvas.ToFrame();
    }
}
