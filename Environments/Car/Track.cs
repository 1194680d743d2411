namespace RlPlat.Environments.Car;

/// <summary>Where a point lies relative to the track: nearest centre-line segment, arc position, signed lateral offset (positive left) and direction.</summary>
public readonly record struct TrackProjection(int Segment, double Arc, double LateralOffset, double Direction);

/// <summary>
/// A procedurally generated closed track: a counter-clockwise centre line r(theta) = R (1 + sum_h a_h sin(h theta + phi_h))
/// (harmonics 2-4, amplitudes small enough that the line keeps positive curvature radius well above the half width),
/// stretched by random x/y scales, sampled at <see cref="Points"/> points; the edges lie <see cref="HalfWidth"/> to each side.
/// The same seed always gives the same track.
/// </summary>
public sealed class Track
{
    private readonly double[] cx, cy, lx, ly, rx, ry, arc, dirX, dirY, segLen;

    /// <summary>Generates the track for <paramref name="seed"/>.</summary>
    public Track(int seed, double radius = 40, double halfWidth = 4, int points = 120)
    {
        if (radius <= 0 || halfWidth <= 0 || halfWidth >= radius / 3)
            throw new ArgumentException($"Track: need 0 < half width ({halfWidth}) < radius ({radius}) / 3.");
        if (points < 16) throw new ArgumentException($"Track: need at least 16 points, got {points}.", nameof(points));
        Seed = seed;
        HalfWidth = halfWidth;
        Points = points;
        var rng = new NpRandom(seed);
        // a_h <= 0.25 / h^2 keeps sum h^2 a_h < 1, so r + r'' > 0: the centre line never folds back on itself.
        var amp = new double[5];
        var phase = new double[5];
        for (int h = 2; h <= 4; h++)
        {
            amp[h] = rng.Uniform(0, 0.25 / (h * h));
            phase[h] = rng.Uniform(0, 2 * Math.PI);
        }
        double sx = rng.Uniform(0.85, 1.15), sy = rng.Uniform(0.85, 1.15);
        cx = new double[points]; cy = new double[points];
        for (int k = 0; k < points; k++)
        {
            double theta = 2 * Math.PI * k / points, r = 1;
            for (int h = 2; h <= 4; h++) r += amp[h] * Math.Sin(h * theta + phase[h]);
            cx[k] = sx * radius * r * Math.Cos(theta);
            cy[k] = sy * radius * r * Math.Sin(theta);
        }
        dirX = new double[points]; dirY = new double[points]; segLen = new double[points]; arc = new double[points + 1];
        for (int k = 0; k < points; k++)
        {
            int n = (k + 1) % points;
            double dx = cx[n] - cx[k], dy = cy[n] - cy[k], len = Math.Sqrt(dx * dx + dy * dy);
            segLen[k] = len;
            dirX[k] = dx / len;
            dirY[k] = dy / len;
            arc[k + 1] = arc[k] + len;
        }
        Length = arc[points];
        lx = new double[points]; ly = new double[points]; rx = new double[points]; ry = new double[points];
        for (int k = 0; k < points; k++)
        {
            int p = (k + points - 1) % points;
            double tx = dirX[k] + dirX[p], ty = dirY[k] + dirY[p], tl = Math.Sqrt(tx * tx + ty * ty);
            double nx = -ty / tl, ny = tx / tl;
            lx[k] = cx[k] + halfWidth * nx; ly[k] = cy[k] + halfWidth * ny;
            rx[k] = cx[k] - halfWidth * nx; ry[k] = cy[k] - halfWidth * ny;
        }
    }

    /// <summary>The seed the track was generated from.</summary>
    public int Seed { get; }

    /// <summary>Half the track width in metres.</summary>
    public double HalfWidth { get; }

    /// <summary>Centre-line points.</summary>
    public int Points { get; }

    /// <summary>Centre-line length in metres (one lap).</summary>
    public double Length { get; }

    /// <summary>Centre-line point k.</summary>
    public (double X, double Y) Center(int k) => (cx[Mod(k)], cy[Mod(k)]);

    /// <summary>Left and right edge points k.</summary>
    public (double LeftX, double LeftY, double RightX, double RightY) Edges(int k) => (lx[Mod(k)], ly[Mod(k)], rx[Mod(k)], ry[Mod(k)]);

    /// <summary>The direction (radians) of centre-line segment k.</summary>
    public double Direction(int k) => Math.Atan2(dirY[Mod(k)], dirX[Mod(k)]);

    /// <summary>The arc length at the start of segment k.</summary>
    public double ArcAt(int k) => arc[Mod(k)];

    /// <summary>
    /// Projects (x, y) onto the centre line, searching segments within <paramref name="window"/> of <paramref name="hint"/>
    /// (a negative window searches all: use it when the car may have jumped).
    /// </summary>
    public TrackProjection Project(double x, double y, int hint, int window)
    {
        int best = 0, count = window < 0 || 2 * window + 1 >= Points ? Points : 2 * window + 1;
        int first = count == Points ? 0 : hint - window;
        double bestDist = double.MaxValue, bestT = 0;
        for (int j = 0; j < count; j++)
        {
            int k = Mod(first + j);
            double wx = x - cx[k], wy = y - cy[k];
            double t = Math.Clamp(wx * dirX[k] + wy * dirY[k], 0, segLen[k]);
            double ex = wx - t * dirX[k], ey = wy - t * dirY[k], d = ex * ex + ey * ey;
            if (d < bestDist)
            {
                bestDist = d;
                best = k;
                bestT = t;
            }
        }
        double lateral = dirX[best] * (y - cy[best]) - dirY[best] * (x - cx[best]);
        return new TrackProjection(best, arc[best] + bestT, lateral, Math.Atan2(dirY[best], dirX[best]));
    }

    /// <summary>Distance from (x, y) along the unit direction (ux, uy) to the nearest edge, capped at <paramref name="maxRange"/>.</summary>
    public double CastRay(double x, double y, double ux, double uy, double maxRange)
    {
        double best = maxRange;
        for (int k = 0; k < Points; k++)
        {
            int n = k + 1 == Points ? 0 : k + 1;
            best = Math.Min(best, Hit(x, y, ux, uy, lx[k], ly[k], lx[n], ly[n]));
            best = Math.Min(best, Hit(x, y, ux, uy, rx[k], ry[k], rx[n], ry[n]));
        }
        return best;
    }

    // Ray p + tau u against segment a + sigma (b - a): tau >= 0, 0 <= sigma <= 1; +infinity when they miss.
    private static double Hit(double px, double py, double ux, double uy, double ax, double ay, double bx, double by)
    {
        double ex = bx - ax, ey = by - ay, denom = ux * ey - uy * ex;
        if (Math.Abs(denom) < 1e-12) return double.PositiveInfinity;
        double wx = ax - px, wy = ay - py;
        double tau = (wx * ey - wy * ex) / denom, sigma = (wx * uy - wy * ux) / denom;
        return tau >= 0 && sigma >= 0 && sigma <= 1 ? tau : double.PositiveInfinity;
    }

    private int Mod(int k) => ((k % Points) + Points) % Points;
}
