using TorchSharp;
using System.Runtime.InteropServices;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Precision;

/// <summary>
/// A classifier's step in miniature (a matrix product, a cross-entropy loss, backward), run once when the trainer
/// is created, so a precision the device or this LibTorch cannot compute is reported before any work is done.
/// </summary>
internal static class PrecisionProbe
{
    /// <summary>
    /// Runs the step with parameters and inputs in <paramref name="storage"/> inside <paramref name="context"/>, and
    /// checks the product came out in <paramref name="compute"/> and the gradient in <paramref name="storage"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">LibTorch failed or computed in another type; the message says what to use instead.</exception>
    public static void Run(string precision, Device device, ScalarType storage, ScalarType compute, Func<IDisposable?> context)
    {
        using var scope = NewDisposeScope();
        try
        {
            var weight = ones(3, 4, device: device).to(storage).requires_grad_(true);
            Tensor loss;
            using (context())
            {
                var product = functional.linear(ones(2, 4, device: device).to(storage), weight);
                if (product.dtype != compute)
                    throw Unsupported(precision, device, $"a matrix product came out in {product.dtype}, not {compute}");
                loss = functional.cross_entropy(product, tensor(new long[] { 0, 1 }, device: device));
            }
            loss.backward();
            if (weight.grad is not { } grad || grad.dtype != storage || !grad.isfinite().all().item<bool>())
                throw Unsupported(precision, device, "the backward pass gave no finite gradient");
        }
        catch (ExternalException e)
        {
            throw Unsupported(precision, device, $"LibTorch said: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    private static NotSupportedException Unsupported(string precision, Device device, string what) => new(
        $"Precision '{precision}' does not work on {device} with this LibTorch: {what}. " +
        device.type switch
        {
            DeviceType.CPU => "Use '32-true' (each precision is checked this way when the Trainer is made), or train on a CUDA GPU (Accelerator = \"cuda\").",
            DeviceType.MPS => "Use '32-true', '16-mixed' or 'bf16-mixed' on the Apple GPU (MPS has no float64), or train on the CPU (Accelerator = \"cpu\").",
            _ => "Use '32-true', or a precision this GPU supports (bfloat16 needs compute capability 8.0 or newer; float16 works from 7.0).",
        });
}
