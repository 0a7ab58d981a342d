namespace Lightning.Native;

/// <summary>
/// The LibTorch C++ functions Lightning calls that TorchSharp 0.107 does not bind. Each platform's
/// <see cref="LibTorchSymbols"/> table gives the name its <c>torch_cpu</c> library exports it under.
/// </summary>
internal enum LibTorchFunction
{
    /// <summary><c>at::globalContext()</c>: the process's <c>at::Context</c>.</summary>
    GlobalContext,

    /// <summary><c>at::Context::deterministicAlgorithms() const</c>.</summary>
    DeterministicAlgorithms,

    /// <summary><c>at::Context::setDeterministicAlgorithms(bool enabled, bool warnOnly)</c>.</summary>
    SetDeterministicAlgorithms,

    /// <summary><c>at::Context::setDeterministicCuDNN(bool)</c>.</summary>
    SetDeterministicCuDNN,

    /// <summary><c>at::Context::setBenchmarkCuDNN(bool)</c>.</summary>
    SetBenchmarkCuDNN,

    /// <summary><c>at::Context::benchmarkCuDNN() const</c>.</summary>
    BenchmarkCuDNN,

    /// <summary><c>at::autocast::is_autocast_enabled(c10::DeviceType)</c>.</summary>
    IsAutocastEnabled,

    /// <summary><c>at::autocast::set_autocast_enabled(c10::DeviceType, bool)</c>.</summary>
    SetAutocastEnabled,

    /// <summary><c>at::autocast::get_autocast_dtype(c10::DeviceType)</c>.</summary>
    GetAutocastDtype,

    /// <summary><c>at::autocast::set_autocast_dtype(c10::DeviceType, c10::ScalarType)</c>.</summary>
    SetAutocastDtype,

    /// <summary><c>at::autocast::increment_nesting()</c>.</summary>
    IncrementAutocastNesting,

    /// <summary><c>at::autocast::decrement_nesting()</c>.</summary>
    DecrementAutocastNesting,

    /// <summary><c>at::autocast::clear_cache()</c>.</summary>
    ClearAutocastCache,

    /// <summary><c>torch::mps::is_available()</c>: whether LibTorch can use an Apple GPU through Metal.</summary>
    MpsIsAvailable,
}
