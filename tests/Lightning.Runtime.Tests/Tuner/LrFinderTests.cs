using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests.Tuner;

/// <summary>The learning-rate range test: its suggestion on a problem whose stable rates are known, and what it leaves behind.</summary>
[TestClass]
public sealed class LrFinderTests
{
    [TestMethod]
    public void TheSuggestedRateIsStableAndWithinTwoDecadesOfTheBestOnALinearRegression()
    {
        torch.manual_seed(1);
        using var model = new LinearRegression();
        const double limit = LinearRegression.DivergenceLimit;

        var finder = new Lightning.Tuner(LinearRegression.QuietTrainer()).LrFind(model, minLr: 1e-4, maxLr: 1e4)!;

        var lr = finder.Suggestion()!.Value;
        // Gradient descent diverges above the limit and crawls far below the best rate. Lightning's rule, the steepest fall of
        // the smoothed loss against the rate, picks where the loss starts to fall: stable, and below the best rate.
        Assert.IsTrue(lr < LinearRegression.BestRate && lr > LinearRegression.BestRate / 100, $"suggested {lr}; the best rate is {LinearRegression.BestRate}");
        Assert.AreEqual(lr, model.LearningRate, "the suggestion is set on LearningRate");
        Assert.IsTrue(finder.Lrs.Count < 100, $"the loss diverged past the limit, so the search stopped early ({finder.Lrs.Count} steps)");
        Assert.IsTrue(finder.Lrs[^1] > limit, $"it stopped past the divergence limit {limit}, at {finder.Lrs[^1]}");
        Assert.AreEqual(1e-4, finder.Lrs[0], 1e-12, "the first step runs at minLr");
        Assert.AreEqual(finder.Lrs.Count, finder.Losses.Count);
    }

    [TestMethod]
    public void ALinearSweepRaisesTheRateByEqualSteps()
    {
        using var model = new LinearRegression();

        var finder = new Lightning.Tuner(LinearRegression.QuietTrainer()).LrFind(model, minLr: 1e-3, maxLr: 0.2, numTraining: 20, mode: LrFindMode.Linear, updateAttr: false)!;

        Assert.AreEqual(20, finder.Lrs.Count, "no divergence below the limit, so every step ran");
        // As Lightning's _LinearLR: step k > 0 runs at minLr + (k + 1) / numTraining of the range.
        for (var k = 1; k < 20; k++) Assert.AreEqual(1e-3 + (k + 1) / 20.0 * (0.2 - 1e-3), finder.Lrs[k], 1e-9, $"step {k}");
        Assert.AreEqual(0.01, model.LearningRate, "updateAttr: false leaves the property alone");
    }

    [TestMethod]
    public void TheModuleComesBackBitForBitAndTheTrainerKeepsItsCounters()
    {
        using var model = new LinearRegression();
        var trainer = LinearRegression.QuietTrainer(maxSteps: 3);
        trainer.Fit(model);
        var (step, epoch) = (trainer.GlobalStep, trainer.CurrentEpoch);
        var weights = model.Snapshot();
        using var rng = torch.get_rng_state();
        var root = trainer.DefaultRootDir;
        var filesBefore = Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories);

        new Lightning.Tuner(trainer).LrFind(model, numTraining: 30);

        var after = model.Snapshot();
        for (var i = 0; i < weights.Count; i++) Assert.IsTrue(weights[i].equal(after[i]).all().item<bool>(), $"parameter {i} is as it was");
        Assert.IsTrue(rng.equal(torch.get_rng_state()).all().item<bool>(), "the random-number state is as it was");
        Assert.AreEqual((3L, 3), (step, epoch), "the fit ran three steps of one batch each");
        Assert.AreEqual((step, epoch), (trainer.GlobalStep, trainer.CurrentEpoch), "the search did not count on the user's trainer");
        Assert.AreSame(trainer, model.Trainer, "the module is attached to its trainer again");
        CollectionAssert.AreEquivalent(filesBefore, Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories), "the search wrote no files");
    }

    [TestMethod]
    public void TheSuggestionIsWhereTheLossFallsFastestOverUnevenlySpacedRates()
    {
        // cos falls fastest at π/2; the rates are spaced geometrically, as an exponential sweep spaces them.
        var lrs = Enumerable.Range(0, 60).Select(i => 0.05 * Math.Pow(60, i / 59.0)).ToList();
        var losses = lrs.Select(Math.Cos).ToList();
        losses[20] = double.NaN;
        var finder = new LrFinder(LrFindMode.Exponential, lrs[0], lrs[^1], 60, lrs, losses);

        var lr = finder.Suggestion()!.Value;

        var nearest = lrs.OrderBy(x => Math.Abs(x - Math.PI / 2)).First();
        Assert.AreEqual(nearest, lr, $"suggested {lr}, the rate nearest π/2 is {nearest}");
        Assert.AreEqual(lrs.IndexOf(nearest), finder.OptimalIndex, "the index counts the skipped and non-finite steps");
    }

    [TestMethod]
    public void TooFewFinitePointsGiveNoSuggestion()
    {
        var finder = new LrFinder(LrFindMode.Linear, 0.1, 1, 12, Enumerable.Range(1, 12).Select(i => i / 10.0).ToList(),
            [.. Enumerable.Repeat(1.0, 10), 0.5, double.NaN]);

        Assert.IsNull(finder.Suggestion());
        Assert.IsNull(finder.OptimalIndex);
    }

    [TestMethod]
    public void AModuleWithoutARateToSetIsToldWhatToAdd()
    {
        using var model = new TinyModelWithoutRate();

        var error = Assert.ThrowsExactly<TunerException>(() => new Lightning.Tuner(LinearRegression.QuietTrainer()).LrFind(model));

        StringAssert.Contains(error.Message, "LearningRate");
        StringAssert.Contains(error.Message, "attrName");
    }

    [TestMethod]
    public void TheCallbackFitsWithTheSuggestedRate()
    {
        using var model = new LinearRegression();
        var finder = new LearningRateFinder(minLr: 1e-4, maxLr: 10);
        var trainer = LinearRegression.QuietTrainer(maxSteps: 5, finder);

        trainer.Fit(model);

        var lr = finder.OptimalLr!.Suggestion()!.Value;
        Assert.AreEqual(lr, model.LearningRate);
        Assert.AreEqual(lr, trainer.Optimizers[0].ParamGroups.First().LearningRate, "the fit's optimizer runs at the rate found");
        Assert.AreEqual(5, trainer.GlobalStep, "the search's steps are not the fit's");
        Assert.AreEqual(5 + finder.OptimalLr.Lrs.Count, model.BatchRows.Count, "the fit trained 5 steps after the search");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "StepLR, which steps from the group's current rate")]
    [DataRow(true, DisplayName = "LambdaLR, which computes from its base rate")]
    public void TheCallbackTrainsAnOptimizerFromOutsideTheModuleAtTheSuggestionAndItsScheduleStartsThere(bool lambda)
    {
        // The optimizer ignores the module's LearningRate, as the CLI's --optimizer does: the fit must still train at the
        // suggestion, and the schedule halve it at each step (Lightning's current-rate-only update loses it under LambdaLR).
        using var model = new LinearRegression();
        model.ConfigureOptimizersOverride = () =>
        {
            var optimizer = optim.SGD(model.parameters(), 0.01);
            optim.lr_scheduler.LRScheduler scheduler = lambda
                ? optim.lr_scheduler.LambdaLR(optimizer, step => Math.Pow(0.5, step))
                : optim.lr_scheduler.StepLR(optimizer, 1, 0.5);
            return new OptimizerConfig(optimizer, new LRSchedulerConfig(scheduler) { Interval = SchedulerInterval.Step });
        };
        var finder = new LearningRateFinder(minLr: 1e-4, maxLr: 10);
        var rates = new List<double>();
        var recorder = new LambdaCallback(onTrainBatchStart: (trainer, _, _, _) => rates.Add(trainer.Optimizers[0].ParamGroups.First().LearningRate));
        var trainer = LinearRegression.QuietTrainer(maxSteps: 3, finder, recorder);

        trainer.Fit(model);

        var lr = finder.OptimalLr!.Suggestion()!.Value;
        Assert.AreNotEqual(0.01, lr);
        Assert.AreEqual(lr, model.LearningRate, "the module's property holds the suggestion too");
        CollectionAssert.AreEqual(new[] { lr, lr / 2, lr / 4 }, rates, $"the fit's rates were {string.Join(", ", rates)}");
    }

    [TestMethod]
    public void OneCycleLRKeepsTheRatesOfItsArgumentsAndTheCallbackSaysSo()
    {
        // OneCycleLR sets every rate from max_lr; a suggestion written into the groups would only last one step.
        using var model = new LinearRegression();
        model.ConfigureOptimizersOverride = () =>
        {
            var optimizer = optim.SGD(model.parameters(), 0.01);
            return new OptimizerConfig(optimizer, new LRSchedulerConfig(optim.lr_scheduler.OneCycleLR(optimizer, 0.1, total_steps: 10)) { Interval = SchedulerInterval.Step });
        };
        var finder = new LearningRateFinder(minLr: 1e-4, maxLr: 10);
        var rates = new List<double>();
        var recorder = new LambdaCallback(onTrainBatchStart: (trainer, _, _, _) => rates.Add(trainer.Optimizers[0].ParamGroups.First().LearningRate));

        var warnings = CapturedOutput.ErrorOf(() => LinearRegression.QuietTrainer(maxSteps: 1, finder, recorder).Fit(model));

        StringAssert.Contains(warnings, "OneCycleLR sets the rates itself from its own arguments, so the fit keeps them");
        Assert.AreEqual(0.1 / 25, rates.Single(), 1e-12, "OneCycleLR starts at max_lr / div_factor");
    }

    [TestMethod]
    public void TheResultsAreWrittenAsCsv()
    {
        var finder = new LrFinder(LrFindMode.Linear, 0.1, 0.3, 3, [0.1, 0.2, 0.3], [2.0, 1.0, double.NaN]);
        finder.Suggestion(skipBegin: 0, skipEnd: 0);
        var path = Path.Combine(TempDir.Create(), "lr_find.csv");

        finder.WriteCsv(path);

        Assert.AreEqual("lr,loss,suggested\n0.1,2,1\n0.2,1,0\n0.3,NaN,0\n", File.ReadAllText(path));
    }

    private sealed class TinyModelWithoutRate : TinyModel
    {
    }
}
