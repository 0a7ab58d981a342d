using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Lightning;
using Lightning.Tests.Support;
using StartupProbe;
using static TorchSharp.torch;

Phases.Mark("main");
return Train(args.Length > 0 ? args[0] : RepositoryPaths.Data("digits.csv.gz"));

// Apart from the entry point, so that "main" is marked before anything loads the runtime (whose module initializer
// loads LibTorch): that time belongs to the "libtorch" phase.
[MethodImpl(MethodImplOptions.NoInlining)]
static int Train(string path)
{
    using (zeros(1)) Phases.Mark("libtorch");
    var rows = ReadDigits(path);
    var n = rows.Count;
    var x = tensor(rows.SelectMany(r => r.Features).ToArray()).reshape(n, 64) / 16.0f;
    var y = tensor(rows.Select(r => r.Label).ToArray());
    var trainRows = n * 85 / 100;
    Phases.Mark("data");

    Trainer.SeedEverything(42);
    var train = new TensorDataLoader(x[..trainRows], y[..trainRows], 32, shuffle: true);
    var val = new TensorDataLoader(x[trainRows..], y[trainRows..], 128);
    var trainer = new Trainer(new TrainerOptions
    {
        MaxEpochs = 20,
        DefaultRootDir = Directory.CreateTempSubdirectory("startup-probe").FullName,
        Callbacks = [new FirstStepMarker()],
    });
    trainer.Fit(new DigitsModule(), train, val);
    Phases.Mark("exit");
    return 0;
}

static List<(float[] Features, long Label)> ReadDigits(string path)
{
    using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
    var rows = new List<(float[], long)>();
    while (reader.ReadLine() is { Length: > 0 } line)
    {
        var cells = line.Split(',').Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        rows.Add((cells[..64], (long)cells[64]));
    }
    return rows;
}
