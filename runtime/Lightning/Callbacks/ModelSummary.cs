using System.Globalization;
using System.Text;
using TorchSharp;

namespace Lightning;

/// <summary>
/// Prints a table of the module's layers when fitting starts: name, type, parameter count, and whether the
/// layer trains, with totals and the estimated size (Lightning's <c>ModelSummary</c>).
/// </summary>
public sealed class ModelSummary : Callback
{
    private readonly TextWriter? _output;

    /// <summary>Creates the callback; <paramref name="maxDepth"/> is how deep nested layers are listed (default 1: direct children).</summary>
    public ModelSummary(int maxDepth = 1, TextWriter? output = null)
    {
        if (maxDepth < -1) throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, "maxDepth must be -1 (all levels), 0 (totals only) or more.");
        MaxDepth = maxDepth;
        _output = output;
    }

    /// <summary>How deep nested layers are listed; -1 for all levels.</summary>
    public int MaxDepth { get; }

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module)
    {
        if (Output.Shows(trainer)) (_output ?? Output.Out).Write(Render(module, MaxDepth));
    }

    /// <summary>
    /// The summary table of <paramref name="module"/> as text; a <see cref="LightningModule"/> with an
    /// <see cref="LightningModule.ExampleInputArray"/> also gets each layer's input and output sizes.
    /// </summary>
    public static string Render(torch.nn.Module module, int maxDepth = 1)
    {
        var sizes = (module as LightningModule)?.ExampleInputArray is { } example ? LayerSizes.Of(module, example) : null;
        var rows = new List<string[]>();
        var index = 0;
        foreach (var (name, layer) in module.named_modules())
        {
            if (string.IsNullOrEmpty(name)) continue;
            var depth = name.Count(c => c == '.') + 1;
            if (maxDepth != -1 && depth > maxDepth) continue;
            var parameters = layer.parameters().ToList();
            var count = parameters.Sum(p => p.numel());
            var mode = layer.training ? "train" : "eval";
            string[] row = [index++.ToString(CultureInfo.InvariantCulture), name, layer.GetType().Name, Human(count), mode];
            if (sizes is not null)
            {
                var (input, output) = sizes.GetValueOrDefault(layer, (LayerSizes.Unknown, LayerSizes.Unknown));
                row = [.. row, input, output];
            }
            rows.Add(row);
        }

        var all = module.parameters().ToList();
        var trainable = all.Where(p => p.requires_grad).Sum(p => p.numel());
        var total = all.Sum(p => p.numel());
        var bytes = all.Sum(p => p.numel() * p.element_size());

        var text = new StringBuilder();
        if (rows.Count > 0)
        {
            string[] header = sizes is null ? ["", "Name", "Type", "Params", "Mode"] : ["", "Name", "Type", "Params", "Mode", "In sizes", "Out sizes"];
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
            string Line(string[] cells) => string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
            var head = Line(header);
            text.AppendLine(head);
            text.AppendLine(new string('-', head.Length));
            foreach (var row in rows) text.AppendLine(Line(row));
            text.AppendLine(new string('-', head.Length));
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{Human(trainable),-8} Trainable params");
        text.AppendLine(CultureInfo.InvariantCulture, $"{Human(total - trainable),-8} Non-trainable params");
        text.AppendLine(CultureInfo.InvariantCulture, $"{Human(total),-8} Total params");
        text.AppendLine(CultureInfo.InvariantCulture, $"{bytes / 1e6,-8:0.000} Total estimated model params size (MB)");
        return text.ToString();
    }

    /// <summary>Lightning's short counts: 950, 8.3 K, 1.2 M, 3.4 B.</summary>
    internal static string Human(long count) => count switch
    {
        < 1_000 => count.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => (count / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " K",
        < 1_000_000_000 => (count / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " M",
        _ => (count / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " B",
    };
}
