using Lightning.Tool.CodeEditing;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.Hooks;

/// <summary>
/// The loss a module trains with, read from its <c>TrainingStep</c>, so generated validation and test steps
/// measure the same thing; classification losses also get an accuracy metric.
/// </summary>
internal static class LossFunction
{
    private static readonly string[] Known =
    [
        "cross_entropy", "nll_loss", "binary_cross_entropy_with_logits", "binary_cross_entropy", "mse_loss",
        "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div", "poisson_nll_loss",
    ];

    /// <summary>The <c>torch.nn.functional</c> loss named in <c>TrainingStep</c>; <c>cross_entropy</c> when none is.</summary>
    public static string Detect(ModuleClass module) =>
        module.Methods("TrainingStep")
            .SelectMany(m => m.Method.DescendantNodes().OfType<SimpleNameSyntax>())
            .Select(n => n.Identifier.ValueText)
            .FirstOrDefault(Known.Contains) ?? "cross_entropy";

    /// <summary>Whether the loss is a multi-class classification loss, whose outputs' argmax is the predicted class.</summary>
    public static bool IsClassification(string loss) => loss is "cross_entropy" or "nll_loss";
}
