using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Lightning.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// Adam's update (<see cref="AdamRule"/>) on float32 tensors in the CPU's memory, as one pass over the elements in
/// vector registers. The same update as LibTorch operations makes nine passes, each reading and writing whole
/// buffers; this one reads and writes each element once, a block at a time, and costs little more than its square
/// root and two divisions. Each operation rounds as LibTorch's CPU kernel for it does, and the square root is the one
/// LibTorch's kernel uses (checked bit for bit once per process), so the numbers are TorchSharp's to the bit; where
/// no square root at hand matches LibTorch's, the update runs as LibTorch operations instead.
/// </summary>
internal static unsafe class FusedAdamKernel
{
    // LibTorch's grain for splitting an elementwise kernel over its threads; the pass splits the same way.
    private const long Grain = 32768;

    // Elements per block: the block's moments and square roots stay in the cache between the stages.
    private const int Block = 4096;

    // MKL's vector functions in the mode LibTorch calls them with: high accuracy, denormals kept, errors ignored.
    private const long MklMode = 0x2 | 0x140000 | 0x100;

    private static readonly Lazy<SquareRoot?> Root = new(SquareRoot.MatchingLibTorch);

    /// <summary>
    /// Applies <paramref name="rule"/> for step <paramref name="step"/> when every tensor is a contiguous float32
    /// tensor on the CPU with as many elements as <paramref name="param"/>; false (nothing done) otherwise.
    /// </summary>
    public static bool TryApply(in AdamRule rule, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, long step)
    {
        var n = param.numel();
        if (!Fits(param, n) || !Fits(grad, n) || !Fits(expAvg, n) || !Fits(expAvgSq, n) || (rule.AmsGrad && (maxExpAvgSq is null || !Fits(maxExpAvgSq, n)))
            || Root.Value is null)
            return false;
        Run(rule, step, param, [0, n], [TensorAddresses.Data(grad)], expAvg, expAvgSq, maxExpAvgSq);
        return true;
    }

    /// <summary>
    /// Whether the pass can update <paramref name="buffer"/> and buffers laid out as it (a contiguous float32 tensor on
    /// the CPU) with <see cref="Apply"/>.
    /// </summary>
    public static bool Accepts(Tensor buffer) => Fits(buffer, buffer.numel()) && Root.Value is not null;

    /// <summary>
    /// Applies <paramref name="rule"/> for step <paramref name="step"/> to the flat buffers of a bucket (which
    /// <see cref="Accepts"/>), reading each parameter's gradient where it lies: the parameter's block of the buffers,
    /// <c>[bounds[i], bounds[i + 1])</c> (<see cref="FlatLayout.Bounds"/>), takes its gradient from
    /// <paramref name="gradients"/>[i], a contiguous float32 block of that size. Gradients that lie one after another
    /// (views of one gradient buffer) are read as one stretch.
    /// </summary>
    public static void Apply(in AdamRule rule, long step, Tensor param, long[] bounds, IntPtr[] gradients, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
    {
        var starts = new List<long>();
        var addresses = new List<IntPtr>();
        long end = 0;
        for (var i = 0; i < gradients.Length; i++)
        {
            if (bounds[i + 1] == bounds[i]) continue;
            var follows = addresses.Count > 0 && gradients[i] == addresses[^1] + (nint)((bounds[i] - starts[^1]) * sizeof(float));
            if (!follows)
            {
                starts.Add(bounds[i]);
                addresses.Add(gradients[i]);
            }
            end = bounds[i + 1];
        }
        starts.Add(end);
        Run(rule, step, param, [.. starts], [.. addresses], expAvg, expAvgSq, maxExpAvgSq);
    }

    // One pass over [0, bounds[^1]), split over LibTorch's threads as its elementwise kernels are.
    private static void Run(in AdamRule rule, long step, Tensor param, long[] bounds, IntPtr[] gradients, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
    {
        var n = bounds[^1];
        var pass = new Pass(rule, step, Root.Value!, TensorAddresses.Data(param), bounds, gradients, TensorAddresses.Data(expAvg),
            TensorAddresses.Data(expAvgSq), rule.AmsGrad ? TensorAddresses.Data(maxExpAvgSq!) : IntPtr.Zero);
        var parts = (int)Math.Min(get_num_threads(), n / Grain);
        if (parts <= 1)
        {
            pass.Run(0, n);
            return;
        }
        // Parts of whole blocks, so that only the last part has a short block.
        var size = (n / parts + Block - 1) / Block * Block;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => pass.Run(part * size, Math.Min(n, (part + 1) * size)));
    }

    private static bool Fits(Tensor tensor, long count) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.numel() == count && tensor.is_contiguous();

    /// <summary>
    /// The square root LibTorch's float32 CPU kernel computes: the exactly rounded one of the vector instructions, or
    /// MKL's (LibTorch's x86 builds call MKL's, which may be a unit in the last place off the exact one).
    /// </summary>
    private sealed class SquareRoot
    {
        private readonly delegate* unmanaged<int, float*, float*, long, void> _mkl;
        private readonly delegate* unmanaged<int, int> _mklThreads;

        private SquareRoot(IntPtr mkl, IntPtr mklThreads)
        {
            _mkl = (delegate* unmanaged<int, float*, float*, long, void>)mkl;
            _mklThreads = (delegate* unmanaged<int, int>)mklThreads;
        }

        /// <summary>Square roots of <paramref name="count"/> elements of <paramref name="values"/> into <paramref name="roots"/>.</summary>
        public void Apply(float* values, float* roots, int count)
        {
            if (_mkl != null)
            {
                _mkl(count, values, roots, MklMode);
                return;
            }
            var i = 0;
            for (; i <= count - Vector<float>.Count; i += Vector<float>.Count) Vector.SquareRoot(Vector.Load(values + i)).Store(roots + i);
            for (; i < count; i++) roots[i] = MathF.Sqrt(values[i]);
        }

        /// <summary>Keeps MKL to the calling thread (the pass splits over threads itself); returns what to restore.</summary>
        public int OneThread() => _mklThreads != null ? _mklThreads(1) : 0;

        public void RestoreThreads(int previous)
        {
            if (_mklThreads != null) _mklThreads(previous);
        }

        // Whichever candidate gives LibTorch's square roots of a probe of values over many magnitudes, bit for bit.
        public static SquareRoot? MatchingLibTorch()
        {
            var mkl = LibTorchExports.TryAddress("vmsSqrt");
            var mklThreads = LibTorchExports.TryAddress("MKL_Set_Num_Threads_Local");
            var candidates = new List<SquareRoot> { new(IntPtr.Zero, IntPtr.Zero) };
            if (mkl != IntPtr.Zero && mklThreads != IntPtr.Zero) candidates.Add(new(mkl, mklThreads));
            const int Count = 4099;
            var probe = new float[Count];
            for (var k = 0; k < Count; k++) probe[k] = (float)(k * 0.6180339887498949 % 1.0 * Math.Pow(10, k % 13 - 8));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var expected = tensor(probe, device: CPU).sqrt().data<float>().ToArray();
            foreach (var candidate in candidates)
            {
                var roots = (float[])probe.Clone();
                var previous = candidate.OneThread();
                fixed (float* values = roots) candidate.Apply(values, values, Count);
                candidate.RestoreThreads(previous);
                if (roots.AsSpan().SequenceEqual(expected)) return candidate;
            }
            return null;
        }
    }

    /// <summary>One step's constants and buffers, each scalar converted to float as LibTorch converts an operation's scalar.</summary>
    private readonly struct Pass
    {
        private readonly SquareRoot _root;
        private readonly float* _param, _expAvg, _expAvgSq, _max;
        private readonly long[] _bounds;
        private readonly IntPtr[] _gradients;
        private readonly float _decay, _l2, _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _biasCorrection2Sqrt, _eps, _stepSize;
        private readonly bool _maximize, _decoupled, _amsGrad;

        // Segment i of the buffers, [bounds[i], bounds[i + 1]), takes its gradient from gradients[i].
        public Pass(in AdamRule rule, long step, SquareRoot root, IntPtr param, long[] bounds, IntPtr[] gradients, IntPtr expAvg, IntPtr expAvgSq, IntPtr max)
        {
            _root = root;
            _param = (float*)param;
            _bounds = bounds;
            _gradients = gradients;
            _expAvg = (float*)expAvg;
            _expAvgSq = (float*)expAvgSq;
            _max = (float*)max;
            _maximize = rule.Maximize;
            _decoupled = rule.Decoupled && rule.WeightDecay != 0;
            _decay = (float)(1 - rule.LearningRate * rule.WeightDecay);
            _l2 = rule.Decoupled ? 0 : (float)rule.WeightDecay;
            _beta1 = (float)rule.Beta1;
            _oneMinusBeta1 = (float)(1 - rule.Beta1);
            _beta2 = (float)rule.Beta2;
            _oneMinusBeta2 = (float)(1 - rule.Beta2);
            _biasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(rule.Beta2, step));
            _eps = (float)rule.Eps;
            _stepSize = (float)-(rule.LearningRate / (1 - Math.Pow(rule.Beta1, step)));
            _amsGrad = rule.AmsGrad;
        }

        // Compiled fully optimized on the first call: the first steps otherwise run the pass unoptimized, with every
        // vector operation a call, until the runtime tiers it up.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long start, long end)
        {
            var roots = stackalloc float[Block];
            var threads = _root.OneThread();
            try
            {
                var first = Array.BinarySearch(_bounds, start);
                for (var segment = first < 0 ? ~first - 1 : first; segment < _gradients.Length && _bounds[segment] < end; segment++)
                {
                    // Indexed as the buffers are: the segment's gradient of element k is grad[k].
                    var grad = (float*)_gradients[segment] - _bounds[segment];
                    var to = Math.Min(end, _bounds[segment + 1]);
                    for (var offset = Math.Max(start, _bounds[segment]); offset < to; offset += Block)
                    {
                        var count = (int)Math.Min(Block, to - offset);
                        if (Vector512.IsHardwareAccelerated) Moments<Lanes512, Vector512<float>>(offset, count, grad + offset);
                        else Moments<LanesOfVector, Vector<float>>(offset, count, grad + offset);
                        _root.Apply((_amsGrad ? _max : _expAvgSq) + offset, roots, count);
                        if (Vector512.IsHardwareAccelerated) Parameters<Lanes512, Vector512<float>>(offset, count, roots);
                        else Parameters<LanesOfVector, Vector<float>>(offset, count, roots);
                    }
                }
            }
            finally
            {
                _root.RestoreThreads(threads);
            }
        }

        // Operation for operation AdamRule.Apply's: add_ with alpha and addcmul_ fuse their last multiply-add as
        // LibTorch's kernels do.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Moments<TLanes, TVector>(long offset, int count, float* grad) where TLanes : ILanes<TVector> where TVector : struct
        {
            float* param = _param + offset, expAvg = _expAvg + offset, expAvgSq = _expAvgSq + offset, max = _max + offset;
            var i = 0;
            var l2 = TLanes.Of(_l2);
            var beta1 = TLanes.Of(_beta1);
            var oneMinusBeta1 = TLanes.Of(_oneMinusBeta1);
            var beta2 = TLanes.Of(_beta2);
            var oneMinusBeta2 = TLanes.Of(_oneMinusBeta2);
            for (; i <= count - TLanes.Count; i += TLanes.Count)
            {
                var g = TLanes.Load(grad + i);
                if (_maximize) g = TLanes.Negate(g);
                if (_l2 != 0) g = TLanes.FusedMultiplyAdd(TLanes.Load(param + i), l2, g);
                TLanes.Store(TLanes.FusedMultiplyAdd(g, oneMinusBeta1, TLanes.Multiply(TLanes.Load(expAvg + i), beta1)), expAvg + i);
                var v = TLanes.FusedMultiplyAdd(TLanes.Multiply(oneMinusBeta2, g), g, TLanes.Multiply(TLanes.Load(expAvgSq + i), beta2));
                TLanes.Store(v, expAvgSq + i);
                if (_amsGrad) TLanes.Store(TLanes.Max(TLanes.Load(max + i), v), max + i);
            }
            for (; i < count; i++)
            {
                var g = grad[i];
                if (_maximize) g = -g;
                if (_l2 != 0) g = MathF.FusedMultiplyAdd(param[i], _l2, g);
                expAvg[i] = MathF.FusedMultiplyAdd(g, _oneMinusBeta1, expAvg[i] * _beta1);
                var v = expAvgSq[i] = MathF.FusedMultiplyAdd(_oneMinusBeta2 * g, g, expAvgSq[i] * _beta2);
                if (_amsGrad) max[i] = MathF.Max(max[i], v);
            }
        }

        // The decoupled decay, then addcdiv_: the step size times the first moment, divided by the denominator.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Parameters<TLanes, TVector>(long offset, int count, float* roots) where TLanes : ILanes<TVector> where TVector : struct
        {
            float* param = _param + offset, expAvg = _expAvg + offset;
            var i = 0;
            var decay = TLanes.Of(_decay);
            var biasCorrection2Sqrt = TLanes.Of(_biasCorrection2Sqrt);
            var eps = TLanes.Of(_eps);
            var stepSize = TLanes.Of(_stepSize);
            for (; i <= count - TLanes.Count; i += TLanes.Count)
            {
                var p = TLanes.Load(param + i);
                if (_decoupled) p = TLanes.Multiply(p, decay);
                var denominator = TLanes.Add(TLanes.Divide(TLanes.Load(roots + i), biasCorrection2Sqrt), eps);
                TLanes.Store(TLanes.Add(p, TLanes.Divide(TLanes.Multiply(stepSize, TLanes.Load(expAvg + i)), denominator)), param + i);
            }
            for (; i < count; i++)
            {
                var p = param[i];
                if (_decoupled) p *= _decay;
                param[i] = p + _stepSize * expAvg[i] / (roots[i] / _biasCorrection2Sqrt + _eps);
            }
        }
    }

    /// <summary>
    /// The vector operations of one width, so that the pass is written once and runs at the widest width the CPU computes
    /// at full speed: lane by lane the same IEEE operations, so the width changes the time and never the numbers.
    /// </summary>
    private interface ILanes<TVector> where TVector : struct
    {
        static abstract int Count { get; }

        static abstract TVector Of(float value);

        static abstract TVector Load(float* source);

        static abstract void Store(TVector value, float* destination);

        static abstract TVector Negate(TVector value);

        static abstract TVector Add(TVector left, TVector right);

        static abstract TVector Multiply(TVector left, TVector right);

        static abstract TVector Divide(TVector left, TVector right);

        static abstract TVector FusedMultiplyAdd(TVector left, TVector right, TVector addend);

        static abstract TVector Max(TVector left, TVector right);
    }

    // AVX-512 where the JIT reports it at full speed: there a 16-lane division or square root costs about what an
    // 8-lane one does, and the update's two divisions bound the pass.
    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;
        public static Vector512<float> Of(float value) => Vector512.Create(value);
        public static Vector512<float> Load(float* source) => Vector512.Load(source);
        public static void Store(Vector512<float> value, float* destination) => value.Store(destination);
        public static Vector512<float> Negate(Vector512<float> value) => -value;
        public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;
        public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;
        public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;
        public static Vector512<float> FusedMultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
            Vector512.FusedMultiplyAdd(left, right, addend);
        public static Vector512<float> Max(Vector512<float> left, Vector512<float> right) => Vector512.Max(left, right);
    }

    // Elsewhere the platform's own width (256 bits with AVX2, 128 on Arm).
    private readonly struct LanesOfVector : ILanes<Vector<float>>
    {
        public static int Count => Vector<float>.Count;
        public static Vector<float> Of(float value) => new(value);
        public static Vector<float> Load(float* source) => Vector.Load(source);
        public static void Store(Vector<float> value, float* destination) => value.Store(destination);
        public static Vector<float> Negate(Vector<float> value) => -value;
        public static Vector<float> Add(Vector<float> left, Vector<float> right) => left + right;
        public static Vector<float> Multiply(Vector<float> left, Vector<float> right) => left * right;
        public static Vector<float> Divide(Vector<float> left, Vector<float> right) => left / right;
        public static Vector<float> FusedMultiplyAdd(Vector<float> left, Vector<float> right, Vector<float> addend) =>
            Vector.FusedMultiplyAdd(left, right, addend);
        public static Vector<float> Max(Vector<float> left, Vector<float> right) => Vector.Max(left, right);
    }
}
