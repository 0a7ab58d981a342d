namespace Lightning;

/// <summary>Which loop is running now (Lightning's <c>RunningStage</c>); sanity checking is its own stage.</summary>
public enum RunningStage
{
    /// <summary>No loop runs.</summary>
    None,
    /// <summary>The training loop.</summary>
    Training,
    /// <summary>The validation run before training.</summary>
    SanityChecking,
    /// <summary>Validation, inside fit or from <c>Validate</c>.</summary>
    Validating,
    /// <summary>Testing.</summary>
    Testing,
    /// <summary>Prediction.</summary>
    Predicting,
}
