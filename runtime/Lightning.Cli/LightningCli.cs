using System.CommandLine;
using System.Globalization;
using Lightning.Cli;

namespace Lightning;

/// <summary>
/// A command line for training, as PyTorch Lightning's <c>LightningCLI</c> gives one: sub-commands <c>fit</c>,
/// <c>validate</c>, <c>test</c> and <c>predict</c>; a <c>--trainer.*</c> option for every
/// <see cref="TrainerOptions"/> property (<c>--trainer.max-epochs 3</c>); <c>--model.*</c> and <c>--data.*</c>
/// options from the constructor parameters of the module and data module; <c>--optimizer AdamW --optimizer.lr 1e-3</c> (LightningCLI's
/// <c>class_path</c>/<c>init_args</c> form, used instead of <c>ConfigureOptimizers</c>) and <c>--lr-scheduler StepLR --lr-scheduler.step-size 10</c>; <c>--trainer.callbacks+=EarlyStopping --trainer.callbacks.monitor val_loss</c>; <c>--trainer.logger TensorBoardLogger --trainer.logger.name runs</c>; <c>--ckpt-path</c>, <c>--seed</c>, <c>--tune</c>,
/// <c>--config file.yaml|json</c> and <c>--print-config</c>. Values come from defaults, then config files in
/// order, then the command line. With no sub-command it fits, then tests when the module has a <c>TestStep</c> (with the best checkpoint when one was kept).
/// <para>
/// The data module's public properties feed the model's constructor parameters of the same name (Lightning's
/// <c>link_arguments</c>: <c>InputSize</c> becomes <c>inputSize</c>) unless the option was given. A run saves its
/// configuration as <c>config.yaml</c> in its log folder; <c>predict</c> writes <c>predictions.csv</c> there. Bad input
/// ends in one <c>error:</c> line and exit code 1.
/// </para>
/// </summary>
/// <example><code>return LightningCli.Run&lt;Classifier, DigitsDataModule&gt;(args);</code></example>
public static class LightningCli
{
    /// <summary>Runs the command line for a module that supplies its own data loaders.</summary>
    /// <returns>The process exit code: 0 on success, 1 for bad settings or input.</returns>
    public static int Run<TModel>(string[] args, LightningCliSettings? settings = null) where TModel : LightningModule =>
        Run(args, CliComponent.FromType(typeof(TModel), "model"), null, settings);

    /// <summary>Runs the command line for a module and a data module.</summary>
    /// <returns>The process exit code: 0 on success, 1 for bad settings or input.</returns>
    public static int Run<TModel, TDataModule>(string[] args, LightningCliSettings? settings = null)
        where TModel : LightningModule where TDataModule : LightningDataModule =>
        Run(args, CliComponent.FromType(typeof(TModel), "model"), CliComponent.FromType(typeof(TDataModule), "data"), settings);

    /// <summary>
    /// Runs the command line with factories: their parameters become the <c>--model.*</c> and <c>--data.*</c>
    /// options, for example <c>LightningCli.Run(args, (int hiddenSize = 64) =&gt; new Classifier(hiddenSize))</c>.
    /// </summary>
    /// <returns>The process exit code: 0 on success, 1 for bad settings or input.</returns>
    public static int Run(string[] args, Delegate model, Delegate? dataModule = null, LightningCliSettings? settings = null) =>
        Run(args, CliComponent.FromFactory(model, "model"), dataModule is null ? null : CliComponent.FromFactory(dataModule, "data"), settings);

    private static int Run(string[] args, CliComponent model, CliComponent? data, LightningCliSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        settings ??= new LightningCliSettings();
        var batchType = BatchType(model, data);
        var output = settings.Output ?? Output.Out;
        var error = settings.Error ?? Output.Error;
        var all = TopLevelSettings(settings).Concat(TrainerSettings.From(settings.TrainerDefaults))
            .Concat(model.Settings).Concat(data?.Settings ?? []).ToList();
        var links = CliLink.Between(data, model);
        var logs = settings.TrainerDefaults.Logger is { UseDefault: true } or { Loggers.Count: > 0 };
        // The options chosen by class, known by section: their arguments depend on the class, so they are taken out of the
        // command line before it is parsed, and shown in --help as options of their own.
        var byClass = new CliConfiguration([], logs);
        var classOptions = byClass.Choices.Concat(byClass.Lists.Select(l => l.Prototype)).ToList();
        (string[] Others, Dictionary<string, List<(string Name, string? Value, bool Append)>> Given) classArgs;
        try
        {
            classArgs = CliClassArguments.Extract(args, classOptions.Select(c => c.Section), new HashSet<string> { byClass.Loggers.Prototype.Section });
        }
        catch (CliException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }

        var root = new RootCommand(settings.Description ??
            $"Train {model.Type.Name}{(data is null ? "" : " on " + data.Type.Name)} with Lightning. Without a sub-command: fit, then test (the best checkpoint when one was kept).");
        AddOptionsAndAction(root, CliCommand.FitAndTest);
        root.Subcommands.Add(Sub("fit", "Train the model, validating as it goes.", CliCommand.Fit));
        root.Subcommands.Add(Sub("validate", "Run one pass over the validation data.", CliCommand.Validate));
        root.Subcommands.Add(Sub("test", "Run the test data through the model and print its metrics.", CliCommand.Test));
        root.Subcommands.Add(Sub("predict", "Run the model over the prediction data.", CliCommand.Predict));
        var parsed = root.Parse(CliNames.WithKebabOptions(classArgs.Others, all.Select(s => s.OptionName).Concat(["--config", "--print-config"]).ToHashSet()));
        // A value an option refuses, an unknown option: one error: line each, as for every other setting error.
        foreach (var parseError in parsed.Errors) error.WriteLine($"error: {parseError.Message}");
        return parsed.Errors.Count > 0 ? 1 : parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });

        Command Sub(string name, string description, CliCommand command)
        {
            var sub = new Command(name, description);
            AddOptionsAndAction(sub, command);
            return sub;
        }

        void AddOptionsAndAction(Command command, CliCommand kind)
        {
            var options = all.Select(s => (Setting: s, Option: SettingOption(s, links.FirstOrDefault(l => l.Target == s)))).ToList();
            var config = new Option<string[]>("--config")
            {
                Description = "A YAML or JSON file of settings (as --print-config writes them); may be repeated, later files win. The command line wins over files.",
                HelpName = "file",
                AllowMultipleArgumentsPerToken = false,
            };
            var printConfig = new Option<bool>("--print-config") { Description = "Print the resolved configuration as YAML (reusable with --config) and exit." };
            foreach (var (_, option) in options) command.Options.Add(option);
            foreach (var choice in classOptions) command.Options.Add(new Option<string>(choice.OptionName) { Description = choice.Help, HelpName = "class" });
            command.Options.Add(config);
            command.Options.Add(printConfig);
            command.SetAction(parsed =>
            {
                CliConfiguration? configuration = null;
                try
                {
                    configuration = new CliConfiguration(all, logs);
                    foreach (var file in parsed.GetValue(config) ?? []) configuration.ApplyFile(file);
                    foreach (var (setting, option) in options)
                    {
                        if (parsed.GetResult(option) is not { } given) continue;
                        var text = given.Tokens.Count == 0 && setting.IsFlag ? "true" : given.Tokens[^1].Value;
                        configuration.Set(setting, setting.Parse(text, setting.OptionName));
                    }
                    foreach (var choice in configuration.Choices) choice.Apply(classArgs.Given[choice.Section]);
                    foreach (var list in configuration.Lists) list.Apply(classArgs.Given[list.Prototype.Section]);
                    configuration.CheckChoices();
                    configuration.CheckRequired(links);
                    if (SeedFrom(configuration) is { } seed) Trainer.SeedEverything(seed);
                    var dataModule = (LightningDataModule?)data?.Create(configuration.Values);
                    if (dataModule is not null)
                        foreach (var link in links) configuration.Link(link, dataModule);
                    if (parsed.GetValue(printConfig))
                    {
                        configuration.WriteYaml(output, command.Name);
                        return 0;
                    }
                    return Execute(kind, command.Name, configuration, model, dataModule, settings, batchType, output);
                }
                catch (Exception e) when (CliErrors.Describe(e, configuration) is { } message)
                {
                    error.WriteLine($"error: {message}");
                    return 1;
                }
            });
        }
    }

    private static int Execute(CliCommand command, string commandName, CliConfiguration configuration, CliComponent model, LightningDataModule? dataModule,
        LightningCliSettings settings, Type batchType, TextWriter output)
    {
        var tuning = CliTuning.Parse(configuration);
        if (tuning.Any && command is not (CliCommand.Fit or CliCommand.FitAndTest))
            throw new CliException($"--tune: the tuner runs before fitting; use it with fit (or no sub-command), not {commandName}.");
        var trainer = CreateTrainer(settings.TrainerDefaults, configuration,
            [.. configuration.Callbacks.Items.Select(c => (Callback)c.Create()!), new SaveConfigCallback(configuration, commandName)]);
        using var module = (LightningModule)model.Create(configuration.Values);
        if (configuration.Optimizer.ClassPath is not null)
            // Lightning's CLI optimizer replaces configure_optimizers, schedulers included, and serves a module without one.
            module.ConfigureOptimizersOverride = () =>
            {
                var chosen = (TorchSharp.torch.optim.Optimizer)configuration.Optimizer.Create(module.parameters())!;
                return configuration.LrScheduler.Create(chosen) is TorchSharp.torch.optim.lr_scheduler.LRScheduler scheduler
                    ? new OptimizerConfig(chosen, new LRSchedulerConfig(scheduler) { Monitor = configuration.LrScheduler.Extra("monitor") })
                    : chosen;
            };
        var runner = typeof(CliRunner<>).MakeGenericType(batchType).GetMethod(nameof(CliRunner<int>.Run))!;
        try
        {
            runner.Invoke(null, [command, trainer, module, dataModule, configuration[CliNames.Normalize("ckpt-path")], tuning, output]);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            // A monitor that was never logged is a setting that cannot work: one error line, not a stack trace.
            if (e.InnerException is MissingMetricException missing)
                throw new CliException(configuration.LrScheduler.Extra("monitor") == missing.Metric
                    ? UnloggedMonitorMessage(missing)
                    : missing.Message);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        return 0;
    }

    private static string UnloggedMonitorMessage(MissingMetricException missing) =>
        $"the learning-rate scheduler monitors '{missing.Metric}', which the module never logged " +
        $"(logged: {(missing.Logged.Count == 0 ? "none" : string.Join(", ", missing.Logged.Order(StringComparer.Ordinal)))}); " +
        $"give --lr-scheduler.monitor one of the logged metrics, or log '{missing.Metric}' in the module (Log(\"{missing.Metric}\", ...)).";

    // The Trainer checks its options when it is built (values, then the accelerator, devices and strategy this machine
    // has): what it refuses there is a setting that cannot work, said in --trainer.* terms.
    private static Trainer CreateTrainer(TrainerOptions defaults, CliConfiguration configuration, IReadOnlyList<Callback> added)
    {
        try
        {
            return new Trainer(TrainerSettings.Build(defaults, configuration.Values, added, configuration.Loggers));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            var trainerSettings = configuration.Settings.Where(s => s.Section == "trainer").ToList();
            var message = CliMessages.InTrainerTerms(e.Message, trainerSettings);
            var option = trainerSettings.FirstOrDefault(s => e is ArgumentException { ParamName: { } name } && s.PropertyName == name)?.OptionName;
            throw new CliException(option is null || message.Contains(option, StringComparison.Ordinal) ? message : $"{option}: {message}");
        }
    }

    private static IEnumerable<CliSetting> TopLevelSettings(LightningCliSettings settings) =>
    [
        new CliSetting("", "seed", typeof(string), false, settings.Seed?.ToString(CultureInfo.InvariantCulture) ?? "true",
            "Seed every random number generator (Trainer.SeedEverything): a number; true draws a random seed and shows it in --print-config; false does not seed."),
        new CliSetting("", "ckpt-path", typeof(string), true, null,
            "A checkpoint to start from: a file, \"best\" or \"last\". fit resumes from it; validate, test and predict load its weights."),
        new CliSetting("", "tune", typeof(string), true, null,
            "Before fitting, search: lr (the learning-rate finder sets the lr of the --optimizer, or else the model's LearningRate or Lr property; " +
            "the curve goes to lr_find.csv in the log folder), " +
            "batch-size (the batch size finder sets the BatchSize property of the model or data module), or lr,batch-size. " +
            "The run's config.yaml holds the values found in place of the search."),
    ];

    // "true" draws a seed once and records it, so that --print-config shows the seed the run will use.
    private static long? SeedFrom(CliConfiguration configuration)
    {
        var key = CliNames.Normalize("seed");
        var text = (string)configuration[key]!;
        var setting = configuration.Settings.Single(s => s.Key == key);
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return null;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            var drawn = (long)Random.Shared.Next();
            configuration.Set(setting, drawn.ToString(CultureInfo.InvariantCulture));
            return drawn;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)) return seed;
        throw new CliException($"--seed: '{text}' is not a whole number, true or false.");
    }

    private static Option<string> SettingOption(CliSetting setting, CliLink? link)
    {
        var option = new Option<string>(setting.OptionName)
        {
            Description = link is null ? setting.Describe() : $"{setting.Describe()} Unless given, the data module's {link.Source.Name}.",
            HelpName = setting.IsFlag ? null : "value",
            Arity = setting.IsFlag ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    setting.Parse(token.Value, setting.OptionName);
                }
                catch (CliException e)
                {
                    result.AddError(e.Message);
                }
            }
        });
        return option;
    }

    private static Type BatchType(CliComponent model, CliComponent? data)
    {
        var modelBatch = GenericArgument(model.Type, typeof(LightningModule<>))
            ?? throw new ArgumentException($"{model.Type.Name} must derive from LightningModule<TBatch>.", nameof(model));
        if (data is null) return modelBatch;
        var dataBatch = GenericArgument(data.Type, typeof(LightningDataModule<>))
            ?? throw new ArgumentException($"{data.Type.Name} must derive from LightningDataModule<TBatch>.", nameof(data));
        return dataBatch == modelBatch
            ? modelBatch
            : throw new ArgumentException(
                $"{model.Type.Name} takes batches of {modelBatch.Name} but {data.Type.Name} yields {dataBatch.Name}; they must use the same batch type.", nameof(data));
    }

    private static Type? GenericArgument(Type type, Type generic)
    {
        for (var current = type; current is not null; current = current.BaseType)
            if (current.IsGenericType && current.GetGenericTypeDefinition() == generic) return current.GetGenericArguments()[0];
        return null;
    }
}
