using System.Reflection;
using Lightning.Loops;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Each layer's input and output sizes for <see cref="ModelSummary"/>, from one pass of an example input through the
/// module in evaluation mode without gradients, as Lightning's summary does with <c>example_input_array</c>.
/// </summary>
internal static class LayerSizes
{
    /// <summary>What a layer shows when its sizes were not seen (Lightning's <c>?</c>).</summary>
    public const string Unknown = "?";

    /// <summary>The sizes, as <c>[2, 8]</c>, of the layers of <paramref name="module"/> the example reached.</summary>
    public static Dictionary<nn.Module, (string In, string Out)> Of(nn.Module module, Tensor example)
    {
        var forward = module.GetType().GetMethod("forward", BindingFlags.Instance | BindingFlags.Public, [typeof(Tensor)])
            ?? throw new InvalidOperationException(
                $"{module.GetType().Name} has an ExampleInputArray but no public forward(Tensor) to run it through; add one, or leave ExampleInputArray unset.");
        var sizes = new Dictionary<nn.Module, (string, string)>(ReferenceEqualityComparer.Instance);
        var removers = new List<Action>();
        foreach (var (_, layer) in module.named_modules())
        {
            if (layer is not nn.Module<Tensor, Tensor> hooked) continue;
            var handle = hooked.register_forward_hook((_, input, output) =>
            {
                sizes[layer] = (Shape(input), Shape(output));
                return output;
            });
            removers.Add(handle.remove);
        }
        var mode = new ModuleMode();
        mode.Capture(module);
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            module.eval();
            forward.Invoke(module, [example]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException($"The model summary ran ExampleInputArray through {module.GetType().Name}.forward, which failed: {e.InnerException.Message}", e.InnerException);
        }
        finally
        {
            mode.Restore();
            foreach (var remove in removers) remove();
        }
        return sizes;
    }

    private static string Shape(Tensor tensor) => "[" + string.Join(", ", tensor.shape) + "]";
}
