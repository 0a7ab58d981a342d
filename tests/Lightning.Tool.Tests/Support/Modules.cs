namespace Lightning.Tool.Tests.Support;

/// <summary>Module sources the tests start from, written as users write them.</summary>
internal static class Modules
{
    /// <summary>A plain classifier: file-scoped namespace, static TorchSharp imports, a tuple batch.</summary>
    public const string Basic = """
        using Lightning;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace App;

        public sealed class Classifier : LightningModule<(Tensor X, Tensor Y)>
        {
            private readonly Linear _layer;

            public Classifier(int inputs = 4, int classes = 3)
            {
                _layer = Linear(inputs, classes);
                RegisterComponents();
            }

            public Tensor forward(Tensor x) => _layer.forward(x.flatten(1));

            public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
            {
                var loss = functional.cross_entropy(forward(batch.X), batch.Y);
                Log("train_loss", loss);
                return loss;
            }

            public override OptimizerConfig ConfigureOptimizers() => optim.Adam(parameters(), 0.01);
        }

        """;
}
