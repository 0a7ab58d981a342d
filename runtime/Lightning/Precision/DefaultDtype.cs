using static TorchSharp.torch;

namespace Lightning.Precision;

/// <summary>Sets TorchSharp's default floating-point type until disposed, then restores the previous one.</summary>
internal sealed class DefaultDtype : IDisposable
{
    private readonly ScalarType _previous = get_default_dtype();
    private bool _disposed;

    public DefaultDtype(ScalarType dtype) => set_default_dtype(dtype);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        set_default_dtype(_previous);
    }
}
