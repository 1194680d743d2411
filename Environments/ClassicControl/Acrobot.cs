using RlPlat.Environments.Rendering;

namespace RlPlat.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>Acrobot-v1</c>: two links, torque -1/0/+1 on the joint between them; "book" dynamics
/// (Sutton &amp; Barto) integrated with one RK4 step of dt = 0.2; reward -1 per step until the tip rises above
/// one link length over the pivot.
/// </summary>
public sealed class Acrobot : Env<float[], int>
{
    private const double Dt = 0.2, LinkLength1 = 1.0, LinkLength2 = 1.0, LinkMass1 = 1.0, LinkMass2 = 1.0;
    private const double LinkComPos1 = 0.5, LinkComPos2 = 0.5, LinkMoi = 1.0, G = 9.8;
    private const double MaxVel1 = 4 * Math.PI, MaxVel2 = 9 * Math.PI;
    private static readonly double[] AvailTorque = [-1.0, 0.0, 1.0];

    private readonly double[] state = new double[4];
    private readonly float[] observation = new float[6];
    private readonly Box observationSpace = new([-1.0, -1.0, -1.0, -1.0, -MaxVel1, -MaxVel2], [1.0, 1.0, 1.0, 1.0, MaxVel1, MaxVel2]);
    private readonly Discrete actionSpace = new(3);
    // RK4 scratch: the augmented state [t1, t2, dt1, dt2, torque] and the four slopes, reused every step.
    private readonly double[] y0 = new double[5], yTmp = new double[5], k1 = new double[5], k2 = new double[5], k3 = new double[5], k4 = new double[5];

    /// <summary>An acrobot; <paramref name="torqueNoiseMax"/> adds uniform noise to the torque (Gymnasium's default 0).</summary>
    public Acrobot(double torqueNoiseMax = 0.0) => TorqueNoiseMax = torqueNoiseMax;

    /// <summary>Builds from kwargs: <c>torque_noise_max</c>.</summary>
    public static Acrobot FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("Acrobot", kwargs);
        var env = new Acrobot(k.Double("torque_noise_max", 0.0));
        k.EnsureAllUsed();
        return env;
    }

    /// <summary>The bound of the uniform torque noise.</summary>
    public double TorqueNoiseMax { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <summary>The float64 internal state [theta1, theta2, dtheta1, dtheta2]; settable.</summary>
    public double[] State
    {
        get => (double[])state.Clone();
        set => ClassicControlUtils.SetState(state, value, "Acrobot");
    }

    /// <inheritdoc />
    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ClassicControlUtils.ResetBounds(options, -0.1, 0.1, "Acrobot");
        // Gymnasium casts the initial state to float32.
        for (int i = 0; i < 4; i++) state[i] = (float)NpRandom.Uniform(low, high);
        return (Observe(), Info.Empty);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(int action)
    {
        if (!actionSpace.Contains(action)) throw new ArgumentException($"Acrobot: action {action} is not in {actionSpace}.", nameof(action));
        double torque = AvailTorque[action];
        if (TorqueNoiseMax > 0) torque += NpRandom.Uniform(-TorqueNoiseMax, TorqueNoiseMax);

        state.CopyTo(y0, 0);
        y0[4] = torque;
        const double dt2 = Dt / 2.0;
        Dsdt(y0, k1);
        for (int i = 0; i < 5; i++) yTmp[i] = y0[i] + dt2 * k1[i];
        Dsdt(yTmp, k2);
        for (int i = 0; i < 5; i++) yTmp[i] = y0[i] + dt2 * k2[i];
        Dsdt(yTmp, k3);
        for (int i = 0; i < 5; i++) yTmp[i] = y0[i] + Dt * k3[i];
        Dsdt(yTmp, k4);
        for (int i = 0; i < 4; i++) state[i] = y0[i] + Dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);

        state[0] = Wrap(state[0], -Math.PI, Math.PI);
        state[1] = Wrap(state[1], -Math.PI, Math.PI);
        state[2] = Math.Min(Math.Max(state[2], -MaxVel1), MaxVel1);
        state[3] = Math.Min(Math.Max(state[3], -MaxVel2), MaxVel2);
        bool terminated = -Math.Cos(state[0]) - Math.Cos(state[1] + state[0]) > 1.0;
        return new StepResult<float[]>(Observe(), terminated ? 0.0 : -1.0, terminated, false, Info.Empty);
    }

    /// <summary>The book dynamics: derivatives of [t1, t2, dt1, dt2, torque] (the torque is constant).</summary>
    private static void Dsdt(double[] s, double[] d)
    {
        const double m1 = LinkMass1, m2 = LinkMass2, l1 = LinkLength1, lc1 = LinkComPos1, lc2 = LinkComPos2, i1 = LinkMoi, i2 = LinkMoi;
        double a = s[4], theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.Cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.Cos(theta2)) + i2;
        double phi2 = m2 * lc2 * G * Math.Cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * Math.Sin(theta2)
                      - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.Sin(theta2)
                      + (m1 * lc1 + m2 * l1) * G * Math.Cos(theta1 - Math.PI / 2) + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * Math.Sin(theta2) - phi2)
                          / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        d[0] = dtheta1;
        d[1] = dtheta2;
        d[2] = ddtheta1;
        d[3] = ddtheta2;
        d[4] = 0.0;
    }

    /// <summary>Wraps x into [m, M] by whole periods, as Gymnasium's <c>wrap</c>.</summary>
    private static double Wrap(double x, double m, double bigM)
    {
        double diff = bigM - m;
        while (x > bigM) x -= diff;
        while (x < m) x += diff;
        return x;
    }

    private float[] Observe()
    {
        observation[0] = (float)Math.Cos(state[0]);
        observation[1] = (float)Math.Sin(state[0]);
        observation[2] = (float)Math.Cos(state[1]);
        observation[3] = (float)Math.Sin(state[1]);
        observation[4] = (float)state[2];
        observation[5] = (float)state[3];
        return observation;
    }

    /// <summary>Draws both links from the pivot (500x500) and the goal line.</summary>
    public override RenderFrame? Render()
    {
        const int size = 500;
        var canvas = new Canvas(size, size);
        double scale = size / (2.2 * (LinkLength1 + LinkLength2)), cx = size / 2.0, cy = size / 2.0;
        canvas.DrawLine(0, cy - scale, size, cy - scale, 1, Rgb.Black);
        double x1 = cx + LinkLength1 * Math.Sin(state[0]) * scale, y1 = cy + LinkLength1 * Math.Cos(state[0]) * scale;
        double x2 = x1 + LinkLength2 * Math.Sin(state[0] + state[1]) * scale, y2 = y1 + LinkLength2 * Math.Cos(state[0] + state[1]) * scale;
        canvas.DrawLine(cx, cy, x1, y1, 0.2 * scale, new Rgb(0, 204, 204));
        canvas.DrawLine(x1, y1, x2, y2, 0.2 * scale, new Rgb(0, 204, 204));
        canvas.FillCircle(cx, cy, 0.1 * scale, new Rgb(204, 204, 0));
        canvas.FillCircle(x1, y1, 0.1 * scale, new Rgb(204, 204, 0));
        return canvas.ToFrame();
    }
}
