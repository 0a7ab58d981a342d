using Lightning.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// The gradients of a list of parameters in one contiguous buffer: each parameter's <c>.grad</c> is a view of its
/// block of <see cref="Buffer"/>, so backward accumulates into the buffer, and whatever works on all gradients at
/// once (a multi-tensor optimizer step, a data-parallel all-reduce, unscaling, a norm) is one operation on
/// <see cref="Buffer"/> instead of one per parameter.
/// </summary>
/// <remarks>
/// The gradients stay views only while they are zeroed in place: <see cref="Zero"/> does that (PyTorch's
/// <c>zero_grad(set_to_none=False)</c>). Dropping a gradient (<c>parameter.grad = null</c>, PyTorch's default
/// <c>zero_grad()</c>, the multi-tensor optimizers' <c>zero_grad()</c>, TorchSharp's <c>Module.zero_grad()</c>) or a
/// backward with <c>create_graph</c> detaches it from the buffer, and backward then writes a fresh gradient instead of
/// adding to zeros; <see cref="Attach"/> brings every gradient back (copying a replaced one in) and is cheap to call
/// before each use of the buffer.
/// All parameters must share one element type and device; <see cref="ByKind"/> splits a mixed list.
/// </remarks>
public sealed class FlatGradients : IDisposable
{
    private static readonly int[] NoneMissing = [];
    private readonly FlatLayout _layout;
    private readonly Tensor[] _views;
    private readonly IntPtr[] _addresses;
    private readonly Parameter[] _parameters;
    // The buffer's element type and device, read once: Locate compares each fresh gradient with them every step.
    private readonly (ScalarType DType, DeviceType Type, int Index) _kind;

    /// <summary>Makes one buffer for the gradients of <paramref name="parameters"/> and attaches every parameter's gradient to it (existing gradients are copied in, missing ones are zeros).</summary>
    /// <exception cref="ArgumentException">The parameters differ in element type or device, or the list is empty.</exception>
    public FlatGradients(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("FlatGradients needs at least one parameter.", nameof(parameters));
        var first = _parameters[0];
        if (_parameters.Any(p => p.dtype != first.dtype || p.device.type != first.device.type || p.device.index != first.device.index))
            throw new ArgumentException(
                "All parameters of one FlatGradients must share element type and device, but these mix " +
                string.Join(", ", _parameters.Select(p => $"{p.dtype} on {p.device}").Distinct()) +
                ". Use FlatGradients.ByKind(parameters) for one buffer per kind.", nameof(parameters));
        _kind = (first.dtype, first.device.type, first.device.index);
        _layout = new FlatLayout(_parameters.Select(p => p.shape));
        Buffer = _layout.NewBuffer(first.dtype, first.device);
        _views = new Tensor[_parameters.Length];
        _addresses = new IntPtr[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _views[i] = _layout.View(Buffer, i).DetachFromDisposeScope();
            _addresses[i] = TensorAddresses.Data(_views[i]);
        }
        Attach();
    }

    /// <summary>One <see cref="FlatGradients"/> per element type and device among <paramref name="parameters"/>, each in the order the parameters come.</summary>
    public static IReadOnlyList<FlatGradients> ByKind(IEnumerable<Parameter> parameters) =>
        parameters.GroupBy(p => (p.dtype, p.device.type, p.device.index)).Select(kind => new FlatGradients(kind)).ToList();

    /// <summary>All gradients, one after another in the order of <see cref="Parameters"/>: reduce or scale this tensor to act on every gradient.</summary>
    public Tensor Buffer { get; }

    /// <summary>The parameters whose gradients live in <see cref="Buffer"/>.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Where each parameter's block lies in <see cref="Buffer"/>.</summary>
    internal FlatLayout Layout => _layout;

    /// <summary>The view of <see cref="Buffer"/> that is parameter <paramref name="index"/>'s gradient.</summary>
    public Tensor this[int index] => _views[index];

    /// <summary>Zeroes every gradient in place (one kernel) and attaches any that were dropped or replaced.</summary>
    public void Zero()
    {
        Buffer.zero_();
        Reattach(copy: false);
    }

    /// <summary>
    /// Makes every parameter's gradient its view of <see cref="Buffer"/> again: a gradient that was replaced by another
    /// tensor is copied in, a missing one becomes zeros. Returns the indices (into <see cref="Parameters"/>) of the
    /// parameters that had no gradient, which an optimizer skips as PyTorch's do; empty when all had one.
    /// </summary>
    public IReadOnlyList<int> Attach() => Reattach(copy: true);

    /// <summary>
    /// Where each parameter's gradient lies, for a kernel that reads the gradients where backward left them instead of
    /// from <see cref="Buffer"/>: <paramref name="addresses"/>[i] becomes the address of parameter i's gradient, a
    /// contiguous block of the buffer's element type and device and of the parameter's size. A gradient that is not
    /// (one assigned by hand) is copied into its view of <see cref="Buffer"/> first, and that view becomes the gradient.
    /// Returns the indices of the parameters that have no gradient (their address is zero); unlike
    /// <see cref="Attach"/>, this leaves them without one.
    /// </summary>
    internal IReadOnlyList<int> Locate(IntPtr[] addresses)
    {
        List<int>? missing = null;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var address = addresses[i] = TensorAddresses.Gradient(_parameters[i]);
            if (address == _addresses[i]) continue;
            if (address == IntPtr.Zero)
            {
                (missing ??= []).Add(i);
                continue;
            }
            using var grad = _parameters[i].grad!;
            if (grad.is_contiguous() && grad.dtype == _kind.DType && grad.device_type == _kind.Type && grad.device_index == _kind.Index
                && grad.numel() == _layout.Bounds[i + 1] - _layout.Bounds[i])
                continue;
            using (no_grad()) _views[i].copy_(grad);
            _parameters[i].grad = _views[i];
            addresses[i] = _addresses[i];
        }
        return missing is null ? NoneMissing : missing;
    }

    private IReadOnlyList<int> Reattach(bool copy)
    {
        List<int>? missing = null;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var address = TensorAddresses.Gradient(_parameters[i]);
            if (address == _addresses[i]) continue;
            if (address == IntPtr.Zero)
            {
                (missing ??= []).Add(i);
                if (copy) _views[i].zero_();
            }
            else if (copy)
            {
                using var grad = _parameters[i].grad!;
                using (no_grad()) _views[i].copy_(grad);
            }
            _parameters[i].grad = _views[i];
        }
        return missing is null ? NoneMissing : missing;
    }

    /// <summary>Frees the buffer; the parameters keep their gradients, which stay valid.</summary>
    public void Dispose()
    {
        foreach (var view in _views) view.Dispose();
        Buffer.Dispose();
    }
}
