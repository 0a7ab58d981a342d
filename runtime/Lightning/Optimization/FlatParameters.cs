using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Parameters of one element type and device moved into one contiguous buffer (<see cref="Data"/>), each
/// parameter becoming a view of its block (the module keeps the same parameter objects), with their gradients in a
/// <see cref="FlatGradients"/> of the same layout. A multi-tensor optimizer updates <see cref="Data"/> from
/// <see cref="Gradients"/> and state buffers made by <see cref="NewBuffer"/> in a few kernels for all parameters.
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    /// <summary>Moves <paramref name="parameters"/> (one element type and device) into one buffer.</summary>
    public FlatParameters(IReadOnlyList<Parameter> parameters)
    {
        Gradients = new FlatGradients(parameters);
        Data = Gradients.Layout.NewBuffer(parameters[0].dtype, parameters[0].device);
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var view = View(Data, i);
            view.copy_(parameters[i]);
            parameters[i].set_(view);
        }
    }

    /// <summary>The parameters' values, one after another.</summary>
    public Tensor Data { get; }

    /// <summary>The parameters' gradients, laid out as <see cref="Data"/>.</summary>
    public FlatGradients Gradients { get; }

    /// <summary>The parameters, in buffer order.</summary>
    public IReadOnlyList<Parameter> Parameters => Gradients.Parameters;

    /// <summary>A new zeroed buffer laid out as <see cref="Data"/> (for optimizer state), outside any dispose scope.</summary>
    public Tensor NewBuffer() => Gradients.Layout.NewBuffer(Data.dtype, Data.device);

    /// <summary>Parameter <paramref name="index"/>'s block of <paramref name="buffer"/>, a buffer laid out as <see cref="Data"/>.</summary>
    public Tensor View(Tensor buffer, int index) => Gradients.Layout.View(buffer, index);

    /// <summary>Frees this object's references; the parameters keep the storage alive.</summary>
    public void Dispose()
    {
        Gradients.Dispose();
        Data.Dispose();
    }
}
