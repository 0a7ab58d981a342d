namespace Lightning.Bench.Data;

/// <summary>
/// The usual training augmentation of small images, done pixel by pixel in managed code: a random rotation,
/// shift and horizontal flip, sampled bilinearly, then scaled to [0, 1] and normalised.
/// </summary>
internal static class RandomAffine
{
    private const double MaxDegrees = 15;
    private const double MaxShift = 2;
    private const float Mean = 0.2860f;
    private const float Std = 0.3530f;

    /// <summary>Writes an augmented, normalised copy of <paramref name="pixels"/> to <paramref name="output"/>.</summary>
    public static void Apply(ReadOnlySpan<byte> pixels, int height, int width, Random random, Span<float> output)
    {
        var angle = (random.NextDouble() * 2 - 1) * MaxDegrees * Math.PI / 180;
        var shiftX = (random.NextDouble() * 2 - 1) * MaxShift;
        var shiftY = (random.NextDouble() * 2 - 1) * MaxShift;
        var flip = random.Next(2) == 1;
        var (sin, cos) = Math.SinCos(angle);
        var centreX = (width - 1) / 2.0;
        var centreY = (height - 1) / 2.0;
        for (var row = 0; row < height; row++)
        {
            for (var column = 0; column < width; column++)
            {
                // Inverse mapping: where in the source does this output pixel come from?
                var x = (flip ? width - 1 - column : column) - centreX - shiftX;
                var y = row - centreY - shiftY;
                var sourceX = cos * x + sin * y + centreX;
                var sourceY = -sin * x + cos * y + centreY;
                var value = Bilinear(pixels, height, width, sourceX, sourceY);
                output[row * width + column] = (value / 255f - Mean) / Std;
            }
        }
    }

    private static float Bilinear(ReadOnlySpan<byte> pixels, int height, int width, double x, double y)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        var fx = (float)(x - x0);
        var fy = (float)(y - y0);
        var top = At(pixels, height, width, y0, x0) * (1 - fx) + At(pixels, height, width, y0, x0 + 1) * fx;
        var bottom = At(pixels, height, width, y0 + 1, x0) * (1 - fx) + At(pixels, height, width, y0 + 1, x0 + 1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    // Outside the image is black, as torchvision fills rotated images by default.
    private static float At(ReadOnlySpan<byte> pixels, int height, int width, int row, int column) =>
        row < 0 || row >= height || column < 0 || column >= width ? 0f : pixels[row * width + column];
}
