using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests;

/// <summary>The C# twin of <c>Net</c> in Fixtures/make_fixtures.py: the same layers under the same names.</summary>
internal sealed class FixtureNet : Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly BatchNorm1d norm;
    private readonly Linear output;

    public FixtureNet(int hiddenSize = 16) : base(nameof(FixtureNet))
    {
        hidden = Linear(8, hiddenSize);
        norm = BatchNorm1d(hiddenSize, eps: 0);
        output = Linear(hiddenSize, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => output.forward(functional.relu(norm.forward(hidden.forward(x))));
}
