using Lightning.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// The gradients of a module's parameters as views into one flat buffer per device and dtype (PyTorch DDP's
/// <c>gradient_as_bucket_view</c>), so averaging them across ranks is one collective per buffer, not one per parameter.
/// Backward accumulates into the views and an in-place zero-grad keeps them; a gradient that was dropped and made
/// afresh, or never made (a parameter the step did not use), is taken back into its slot by <see cref="Collect"/>.
/// </summary>
internal sealed class GradientBuckets : IDisposable
{
    private readonly List<Slot> _slots = [];
    private readonly List<Tensor> _buffers = [];

    /// <summary>Lays out the gradients of <paramref name="parameters"/> that require one, keeping any gradient they hold.</summary>
    public GradientBuckets(IEnumerable<Parameter> parameters)
    {
        foreach (var group in parameters.Where(p => p.requires_grad).GroupBy(p => (p.device.ToString(), p.dtype)))
        {
            var members = group.ToList();
            // Kept past the training step's dispose scope that may be open here.
            var buffer = zeros(members.Sum(p => p.numel()), group.Key.dtype, members[0].device).DetachFromDisposeScope();
            _buffers.Add(buffer);
            long offset = 0;
            foreach (var parameter in members)
            {
                using var slice = buffer.narrow(0, offset, parameter.numel());
                var view = slice.view(parameter.shape).DetachFromDisposeScope();
                offset += parameter.numel();
                using (var grad = parameter.grad)
                    if (grad is not null) view.copy_(grad);
                parameter.grad = view;
                _slots.Add(new Slot(parameter, view));
            }
        }
    }

    /// <summary>The flat buffers, one per device and dtype, which hold every gradient.</summary>
    public IReadOnlyList<Tensor> Buffers => _buffers;

    /// <summary>Makes each parameter's gradient its view again, copying a gradient made elsewhere in and zeroing a missing one.</summary>
    public unsafe void Collect()
    {
        foreach (var (parameter, view) in _slots)
        {
            using var grad = parameter.grad;
            if (grad is not null && TensorMemory.DataPointer(grad) == TensorMemory.DataPointer(view)) continue;
            if (grad is null) view.zero_();
            else view.copy_(grad);
            parameter.grad = view;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, view) in _slots) view.Dispose();
        foreach (var buffer in _buffers) buffer.Dispose();
    }

    private readonly record struct Slot(Parameter Parameter, Tensor View);
}
