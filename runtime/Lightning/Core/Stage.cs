namespace Lightning;

/// <summary>What the trainer is doing; passed to <c>Setup</c> and <c>Teardown</c>.</summary>
public enum Stage
{
    /// <summary>Training, with validation when a validation loader exists (<c>Trainer.Fit</c>).</summary>
    Fit,
    /// <summary>One pass over the validation data (<c>Trainer.Validate</c>).</summary>
    Validate,
    /// <summary>One pass over the test data (<c>Trainer.Test</c>).</summary>
    Test,
    /// <summary>Inference over the prediction data (<c>Trainer.Predict</c>).</summary>
    Predict,
}
