using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Where each of a list of tensors lies in one contiguous buffer: the tensors one after another, in order,
/// each as a contiguous block of its own shape. <see cref="FlatGradients"/> and the parameter buffer of the
/// multi-tensor optimizers share it, so a parameter and its gradient sit at the same offset of their buffers.
/// </summary>
internal sealed class FlatLayout
{
    private readonly long[] _bounds;
    private readonly long[][] _shapes;
    private readonly long[][] _strides;

    /// <summary>Lays out tensors of the given shapes one after another.</summary>
    public FlatLayout(IEnumerable<long[]> shapes)
    {
        _shapes = shapes.ToArray();
        _bounds = new long[_shapes.Length + 1];
        _strides = new long[_shapes.Length][];
        for (var i = 0; i < _shapes.Length; i++)
        {
            _strides[i] = ContiguousStrides(_shapes[i]);
            _bounds[i + 1] = _bounds[i] + _shapes[i].Aggregate(1L, (n, size) => n * size);
        }
    }

    /// <summary>The number of elements of the whole buffer.</summary>
    public long Count => _bounds[^1];

    /// <summary>Where each tensor's block starts, followed by <see cref="Count"/>: block <c>i</c> is <c>[Bounds[i], Bounds[i + 1])</c>. Read only.</summary>
    public long[] Bounds => _bounds;

    /// <summary>The number of tensors laid out.</summary>
    public int Length => _shapes.Length;

    /// <summary>Tensor <paramref name="index"/>'s block of <paramref name="buffer"/> (a buffer of <see cref="Count"/> elements), as a view of its shape.</summary>
    public Tensor View(Tensor buffer, int index) => buffer.as_strided(_shapes[index], _strides[index], _bounds[index]);

    /// <summary>A new zeroed buffer of <see cref="Count"/> elements, outside any dispose scope.</summary>
    public Tensor NewBuffer(ScalarType dtype, Device device) => zeros(Count, dtype, device).DetachFromDisposeScope();

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= Math.Max(shape[d], 1);
        }
        return strides;
    }
}
