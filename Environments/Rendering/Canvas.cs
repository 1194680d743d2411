namespace RlPlat.Environments.Rendering;

/// <summary>An RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>White.</summary>
    public static readonly Rgb White = new(255, 255, 255);

    /// <summary>Black.</summary>
    public static readonly Rgb Black = new(0, 0, 0);
}

/// <summary>
/// A small software rasterizer for env frames: filled rectangles, polygons, circles and thick lines on an RGB
/// buffer. Coordinates are pixels with y pointing down; envs that think in y-up world units flip them.
/// </summary>
public sealed class Canvas
{
    /// <summary>A canvas of the given size, cleared to white.</summary>
    public Canvas(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Canvas: size {width}x{height} must be positive.");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        Clear(Rgb.White);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Height*Width*3 bytes, row-major RGB.</summary>
    public byte[] Pixels { get; }

    /// <summary>Fills the whole canvas.</summary>
    public void Clear(Rgb c)
    {
        for (int i = 0; i < Pixels.Length; i += 3)
        {
            Pixels[i] = c.R;
            Pixels[i + 1] = c.G;
            Pixels[i + 2] = c.B;
        }
    }

    /// <summary>Sets one pixel (ignored outside the canvas).</summary>
    public void Set(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Pixels[i] = c.R;
        Pixels[i + 1] = c.G;
        Pixels[i + 2] = c.B;
    }

    /// <summary>Fills the pixels whose centres lie in [x0, x1) x [y0, y1).</summary>
    public void FillRect(double x0, double y0, double x1, double y1, Rgb c)
    {
        int ix0 = (int)Math.Max(0, Math.Ceiling(Math.Min(x0, x1) - 0.5)), ix1 = (int)Math.Min(Width, Math.Ceiling(Math.Max(x0, x1) - 0.5));
        int iy0 = (int)Math.Max(0, Math.Ceiling(Math.Min(y0, y1) - 0.5)), iy1 = (int)Math.Min(Height, Math.Ceiling(Math.Max(y0, y1) - 0.5));
        for (int y = iy0; y < iy1; y++)
            for (int x = ix0; x < ix1; x++) Set(x, y, c);
    }

    /// <summary>Fills a polygon (even-odd rule) given as x,y vertex pairs.</summary>
    public void FillPolygon(ReadOnlySpan<double> xy, Rgb c)
    {
        int n = xy.Length / 2;
        if (n < 3) return;
        double minY = double.MaxValue, maxY = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            minY = Math.Min(minY, xy[2 * i + 1]);
            maxY = Math.Max(maxY, xy[2 * i + 1]);
        }
        Span<double> crossings = n <= 64 ? stackalloc double[n] : new double[n];
        for (int y = Math.Max(0, (int)Math.Floor(minY)); y <= Math.Min(Height - 1, (int)Math.Ceiling(maxY)); y++)
        {
            double sy = y + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++)
            {
                double yi = xy[2 * i + 1], yj = xy[2 * j + 1];
                if ((yi <= sy) != (yj <= sy))
                    crossings[count++] = xy[2 * i] + (sy - yi) / (yj - yi) * (xy[2 * j] - xy[2 * i]);
            }
            crossings[..count].Sort();
            for (int k = 0; k + 1 < count; k += 2)
                for (int x = Math.Max(0, (int)Math.Ceiling(crossings[k] - 0.5)); x < Math.Min(Width, (int)Math.Ceiling(crossings[k + 1] - 0.5)); x++)
                    Set(x, y, c);
        }
    }

    /// <summary>Fills a circle.</summary>
    public void FillCircle(double cx, double cy, double radius, Rgb c)
    {
        for (int y = Math.Max(0, (int)(cy - radius)); y <= Math.Min(Height - 1, (int)(cy + radius)); y++)
            for (int x = Math.Max(0, (int)(cx - radius)); x <= Math.Min(Width - 1, (int)(cx + radius)); x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                if (dx * dx + dy * dy <= radius * radius) Set(x, y, c);
            }
    }

    /// <summary>Draws a line of the given thickness as a filled quadrilateral.</summary>
    public void DrawLine(double x0, double y0, double x1, double y1, double thickness, Rgb c)
    {
        double dx = x1 - x0, dy = y1 - y0, len = Math.Sqrt(dx * dx + dy * dy);
        if (len == 0) return;
        double nx = -dy / len * thickness / 2, ny = dx / len * thickness / 2;
        FillPolygon([x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny], c);
    }

    /// <summary>A frame holding a copy of the pixels.</summary>
    public RenderFrame ToFrame() => new(Height, Width, (byte[])Pixels.Clone());
}
