using RlPlat.Environments.Rendering;

namespace RlPlat.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>CartPole-v1</c> (and v0, which differs only in registration): a pole on a cart, pushed left
/// (action 0) or right (action 1) with a fixed force. Euler integration in float64, observation float32(state),
/// termination at |x| &gt; 2.4 or |theta| &gt; 12 degrees, reward 1 per step (Sutton-Barto variant: 0, and -1 at the end).
/// </summary>
public sealed class CartPole : Env<float[], int>
{
    private const double Gravity = 9.8, MassCart = 1.0, MassPole = 0.1, Length = 0.5, ForceMag = 10.0, Tau = 0.02;
    private const double TotalMass = MassPole + MassCart, PoleMassLength = MassPole * Length;
    private const double ThetaThresholdRadians = 12 * 2 * Math.PI / 360, XThreshold = 2.4;

    private readonly double[] state = new double[4];
    private readonly float[] observation = new float[4];
    private readonly Box observationSpace;
    private readonly Discrete actionSpace = new(2);
    private int? stepsBeyondTerminated;
    private bool hasState;

    /// <summary>A cart-pole; <paramref name="suttonBartoReward"/> gives 0 per step and -1 on failure, <paramref name="eulerIntegrator"/> false selects semi-implicit Euler.</summary>
    public CartPole(bool suttonBartoReward = false, bool eulerIntegrator = true)
    {
        SuttonBartoReward = suttonBartoReward;
        EulerIntegrator = eulerIntegrator;
        double big = float.MaxValue;
        observationSpace = new Box([-XThreshold * 2, -big, -ThetaThresholdRadians * 2, -big], [XThreshold * 2, big, ThetaThresholdRadians * 2, big]);
    }

    /// <summary>Builds from Gymnasium kwargs: <c>sutton_barto_reward</c>.</summary>
    public static CartPole FromKwargs(IReadOnlyDictionary<string, object?> kwargs)
    {
        var k = new Kwargs("CartPole", kwargs);
        var env = new CartPole(k.Bool("sutton_barto_reward", false), k.String("kinematics_integrator", "euler") == "euler");
        k.EnsureAllUsed();
        return env;
    }

    /// <summary>Reward 0 per step and -1 at failure instead of 1 per step.</summary>
    public bool SuttonBartoReward { get; }

    /// <summary>Explicit Euler (Gymnasium's default "euler"); false: semi-implicit Euler.</summary>
    public bool EulerIntegrator { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    public override Space ActionSpace => actionSpace;

    /// <summary>The float64 internal state [x, x_dot, theta, theta_dot] (<c>env.unwrapped.state</c>); set it to replay from a state.</summary>
    public double[] State
    {
        get => (double[])state.Clone();
        set
        {
            ClassicControlUtils.SetState(state, value, "CartPole");
            hasState = true;
        }
    }

    /// <inheritdoc />
    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ClassicControlUtils.ResetBounds(options, -0.05, 0.05, "CartPole");
        for (int i = 0; i < 4; i++) state[i] = NpRandom.Uniform(low, high);
        stepsBeyondTerminated = null;
        hasState = true;
        return (Observe(), Info.Empty);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(int action)
    {
        if (!actionSpace.Contains(action)) throw new ArgumentException($"CartPole: action {action} is not in {actionSpace}.", nameof(action));
        if (!hasState) throw new InvalidOperationException("CartPole: call Reset before Step.");
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = action == 1 ? ForceMag : -ForceMag;
        double cosTheta = Math.Cos(theta), sinTheta = Math.Sin(theta);
        double temp = (force + PoleMassLength * (thetaDot * thetaDot) * sinTheta) / TotalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp) / (Length * (4.0 / 3.0 - MassPole * (cosTheta * cosTheta) / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;
        if (EulerIntegrator)
        {
            x += Tau * xDot;
            xDot += Tau * xAcc;
            theta += Tau * thetaDot;
            thetaDot += Tau * thetaAcc;
        }
        else
        {
            xDot += Tau * xAcc;
            x += Tau * xDot;
            thetaDot += Tau * thetaAcc;
            theta += Tau * thetaDot;
        }
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;

        bool terminated = x < -XThreshold || x > XThreshold || theta < -ThetaThresholdRadians || theta > ThetaThresholdRadians;
        double reward;
        if (!terminated) reward = SuttonBartoReward ? 0.0 : 1.0;
        else if (stepsBeyondTerminated == null)
        {
            stepsBeyondTerminated = 0;
            reward = SuttonBartoReward ? -1.0 : 1.0;
        }
        else
        {
            // Gymnasium warns here: stepping a terminated episode is undefined behaviour; it returns 0 (or -1).
            stepsBeyondTerminated++;
            reward = SuttonBartoReward ? -1.0 : 0.0;
        }
        return new StepResult<float[]>(Observe(), reward, terminated, false, Info.Empty);
    }

    private float[] Observe()
    {
        for (int i = 0; i < 4; i++) observation[i] = (float)state[i];
        return observation;
    }

    /// <summary>Draws the cart and pole as Gymnasium's 600x400 frame.</summary>
    public override RenderFrame? Render()
    {
        const int width = 600, height = 400;
        var canvas = new Canvas(width, height);
        double scale = width / (XThreshold * 2), poleLen = scale * (2 * Length), cartY = height - 100;
        double cartX = state[0] * scale + width / 2.0;
        canvas.DrawLine(0, cartY, width, cartY, 1, Rgb.Black);
        canvas.FillRect(cartX - 25, cartY - 15, cartX + 25, cartY + 15, Rgb.Black);
        double tipX = cartX + poleLen * Math.Sin(state[2]), tipY = cartY - 7.5 - poleLen * Math.Cos(state[2]);
        canvas.DrawLine(cartX, cartY - 7.5, tipX, tipY, 10, new Rgb(202, 152, 101));
        canvas.FillCircle(cartX, cartY - 7.5, 5, new Rgb(129, 132, 203));
        return canvas.ToFrame();
    }
}
