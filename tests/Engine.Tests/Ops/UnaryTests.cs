using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>Every unary op against PyTorch (float64 reference values computed with torch 1.13 and pasted here).</summary>
public class UnaryTests
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Ops = new()
    {
        ["Neg"] = t => t.Neg(), ["Abs"] = t => t.Abs(), ["Square"] = t => t.Square(), ["Sign"] = t => t.Sign(), ["Relu"] = t => t.Relu(),
        ["Exp"] = t => t.Exp(), ["Log"] = t => t.Log(), ["Log2"] = t => t.Log2(), ["Log10"] = t => t.Log10(), ["Log1p"] = t => t.Log1p(),
        ["Expm1"] = t => t.Expm1(), ["Sqrt"] = t => t.Sqrt(), ["Rsqrt"] = t => t.Rsqrt(), ["Reciprocal"] = t => t.Reciprocal(),
        ["Floor"] = t => t.Floor(), ["Ceil"] = t => t.Ceil(), ["Round"] = t => t.Round(), ["Trunc"] = t => t.Trunc(), ["Frac"] = t => t.Frac(),
        ["Sin"] = t => t.Sin(), ["Cos"] = t => t.Cos(), ["Tan"] = t => t.Tan(), ["Asin"] = t => t.Asin(), ["Acos"] = t => t.Acos(), ["Atan"] = t => t.Atan(),
        ["Sinh"] = t => t.Sinh(), ["Cosh"] = t => t.Cosh(), ["Tanh"] = t => t.Tanh(), ["Asinh"] = t => t.Asinh(), ["Acosh"] = t => t.Acosh(), ["Atanh"] = t => t.Atanh(),
        ["Sigmoid"] = t => t.Sigmoid(), ["Softplus"] = t => t.Softplus(), ["Silu"] = t => t.Silu(), ["Gelu"] = t => t.Gelu(), ["Erf"] = t => t.Erf(),
        ["LeakyRelu"] = t => t.LeakyRelu(0.01), ["Elu"] = t => t.Elu(), ["Selu"] = t => t.Selu(), ["Relu6"] = t => t.Relu6(),
        ["Hardswish"] = t => t.Hardswish(), ["Hardsigmoid"] = t => t.Hardsigmoid(),
        ["Softsign"] = t => t.Softsign(), ["Mish"] = t => t.Mish(), ["Tanhshrink"] = t => t.Tanhshrink(), ["Hardtanh"] = t => t.Hardtanh(),
        ["Celu"] = t => t.Celu(1.5), ["LogSigmoid"] = t => t.LogSigmoid(), ["Softshrink"] = t => t.Softshrink(), ["Hardshrink"] = t => t.Hardshrink(),
        ["Exp2"] = t => t.Exp2(), ["Sinc"] = t => t.Sinc(), ["Deg2rad"] = t => t.Deg2rad(), ["Rad2deg"] = t => t.Rad2deg(), ["Logit"] = t => t.Logit(),
        ["Cbrt"] = t => t.Cbrt(),
    };

    // Our erf is a rational approximation good to ~1.2e-7, so erf-based ops get a looser float64 tolerance.
    private static double Float64Tolerance(string op) => op is "Erf" or "Gelu" ? 3e-7 : 1e-10;

    private static readonly object[][] Cases =
    [
        ["Neg", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 2.5, 1.0, 0.3, -0.0, -0.4, -1.0, -2.7 }],
        ["Abs", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 2.5, 1.0, 0.3, 0.0, 0.4, 1.0, 2.7 }],
        ["Square", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 6.25, 1.0, 0.09, 0.0, 0.16000000000000003, 1.0, 7.290000000000001 }],
        ["Sign", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 1.0 }],
        ["Relu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.0, 0.0, 0.0, 0.0, 0.4, 1.0, 2.7 }],
        ["Exp", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.0820849986238988, 0.36787944117144233, 0.7408182206817179, 1.0, 1.4918246976412703, 2.718281828459045, 14.879731724872837 }],
        ["Log", new double[] { 0.05, 0.3, 0.5, 0.9, 1.0, 2.0, 7.5 }, new double[] { -2.995732273553991, -1.2039728043259361, -0.6931471805599453, -0.10536051565782628, 0.0, 0.6931471805599453, 2.0149030205422647 }],
        ["Log2", new double[] { 0.05, 0.3, 0.5, 0.9, 1.0, 2.0, 7.5 }, new double[] { -4.321928094887363, -1.7369655941662063, -1.0, -0.15200309344504995, 0.0, 1.0, 2.9068905956085187 }],
        ["Log10", new double[] { 0.05, 0.3, 0.5, 0.9, 1.0, 2.0, 7.5 }, new double[] { -1.3010299956639813, -0.5228787452803376, -0.3010299956639812, -0.045757490560675115, 0.0, 0.3010299956639812, 0.8750612633917001 }],
        ["Log1p", new double[] { -0.9, -0.5, -0.1, 0.0, 0.2, 0.6, 0.95 }, new double[] { -2.302585092994046, -0.6931471805599453, -0.10536051565782631, 0.0, 0.18232155679395465, 0.4700036292457355, 0.6678293725756554 }],
        ["Expm1", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.9179150013761012, -0.6321205588285577, -0.2591817793182821, 0.0, 0.49182469764127035, 1.7182818284590453, 13.879731724872837 }],
        ["Sqrt", new double[] { 0.05, 0.3, 0.5, 0.9, 1.0, 2.0, 7.5 }, new double[] { 0.22360679774997896, 0.5477225575051661, 0.7071067811865476, 0.9486832980505138, 1.0, 1.4142135623730951, 2.7386127875258306 }],
        ["Rsqrt", new double[] { 0.05, 0.3, 0.5, 0.9, 1.0, 2.0, 7.5 }, new double[] { 4.47213595499958, 1.8257418583505538, 1.414213562373095, 1.0540925533894598, 1.0, 0.7071067811865475, 0.3651483716701107 }],
        ["Reciprocal", new double[] { 0.05, 0.3, 0.5, 0.9, 1.0, 2.0, 7.5 }, new double[] { 20.0, 3.3333333333333335, 2.0, 1.1111111111111112, 1.0, 0.5, 0.13333333333333333 }],
        ["Floor", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -3.0, -1.0, -1.0, 0.0, 0.0, 1.0, 2.0 }],
        ["Ceil", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -2.0, -1.0, -0.0, 0.0, 1.0, 1.0, 3.0 }],
        ["Round", new double[] { -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6 }, new double[] { -2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 3.0 }],
        ["Trunc", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -2.0, -1.0, -0.0, 0.0, 0.0, 1.0, 2.0 }],
        ["Frac", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.5, 0.0, -0.3, 0.0, 0.4, 0.0, 0.7000000000000002 }],
        ["Sin", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.5984721441039564, -0.8414709848078965, -0.29552020666133955, 0.0, 0.3894183423086505, 0.8414709848078965, 0.4273798802338298 }],
        ["Cos", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.8011436155469337, 0.5403023058681398, 0.955336489125606, 1.0, 0.9210609940028851, 0.5403023058681398, -0.9040721420170612 }],
        ["Tan", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.7470222972386603, -1.5574077246549023, -0.30933624960962325, 0.0, 0.4227932187381618, 1.5574077246549023, -0.4727276291030373 }],
        ["Asin", new double[] { -0.9, -0.5, -0.1, 0.0, 0.2, 0.6, 0.95 }, new double[] { -1.1197695149986342, -0.5235987755982989, -0.1001674211615598, 0.0, 0.2013579207903308, 0.6435011087932844, 1.253235897503375 }],
        ["Acos", new double[] { -0.9, -0.5, -0.1, 0.0, 0.2, 0.6, 0.95 }, new double[] { 2.6905658417935308, 2.0943951023931957, 1.6709637479564565, 1.5707963267948966, 1.369438406004566, 0.9272952180016123, 0.3175604292915215 }],
        ["Atan", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.1902899496825317, -0.7853981633974483, -0.2914567944778671, 0.0, 0.3805063771123649, 0.7853981633974483, 1.2160906747839564 }],
        ["Sinh", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -6.0502044810397875, -1.1752011936438014, -0.3045202934471426, 0.0, 0.4107523258028155, 1.1752011936438014, 7.406263106066543 }],
        ["Cosh", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 6.132289479663686, 1.5430806348152437, 1.0453385141288605, 1.0, 1.081072371838455, 1.5430806348152437, 7.473468618806294 }],
        ["Tanh", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.9866142981514303, -0.7615941559557649, -0.2913126124515909, 0.0, 0.3799489622552249, 0.7615941559557649, 0.9910074536781176 }],
        ["Asinh", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.6472311463710958, -0.881373587019543, -0.29567304756342244, 0.0, 0.39003531977071526, 0.881373587019543, 1.7190518512089272 }],
        ["Acosh", new double[] { 1.05, 1.3, 1.5, 1.9, 2.0, 3.0, 8.5 }, new double[] { 0.314924756603848, 0.7564329108569596, 0.9624236501192069, 1.2571958266003804, 1.3169578969248166, 1.762747174039086, 2.82973503752439 }],
        ["Atanh", new double[] { -0.9, -0.5, -0.1, 0.0, 0.2, 0.6, 0.95 }, new double[] { -1.4722194895832204, -0.5493061443340548, -0.10033534773107558, 0.0, 0.2027325540540822, 0.6931471805599453, 1.8317808230648227 }],
        ["Sigmoid", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.07585818002124355, 0.2689414213699951, 0.425557483188341, 0.5, 0.598687660112452, 0.7310585786300049, 0.9370266439430035 }],
        ["Softplus", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.07888973429254963, 0.31326168751822286, 0.5543552444685271, 0.6931471805599453, 0.9130152523999526, 1.3132616875182228, 2.765043561776591 }],
        ["Silu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.18964545005310887, -0.2689414213699951, -0.1276672449565023, 0.0, 0.2394750640449808, 0.7310585786300049, 2.52997193864611 }],
        ["Gelu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.015524163314440398, -0.15865525393145702, -0.1146265733433142, 0.0, 0.2621686966441297, 0.841344746068543, 2.6906391707317905 }],
        ["Erf", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.999593047982555, -0.8427007929497149, -0.3286267594591274, 0.0, 0.42839235504666845, 0.8427007929497149, 0.9998656672600594 }],
        ["LeakyRelu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.025, -0.01, -0.003, 0.0, 0.4, 1.0, 2.7 }],
        ["Elu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.9179150013761012, -0.6321205588285577, -0.2591817793182821, 0.0, 0.4, 1.0, 2.7 }],
        ["Selu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.6137857588732423, -1.1113307378125625, -0.45566731537912203, 0.0, 0.4202803949421922, 1.0507009873554805, 2.8368926658597973 }],
        ["Relu6", new double[] { -7.5, -3.0, -0.8999999999999999, 0.0, 1.2000000000000002, 3.0, 8.100000000000001 }, new double[] { 0.0, 0.0, 0.0, 0.0, 1.2000000000000002, 3.0, 6.0 }],
        ["Hardswish", new double[] { -5.0, -2.0, -0.6, 0.0, 0.8, 2.0, 5.4 }, new double[] { -0.0, -0.3333333333333333, -0.24, 0.0, 0.5066666666666667, 1.6666666666666667, 5.400000000000001 }],
        ["Hardsigmoid", new double[] { -5.0, -2.0, -0.6, 0.0, 0.8, 2.0, 5.4 }, new double[] { 0.0, 0.16666666666666666, 0.39999999999999997, 0.5, 0.6333333333333333, 0.8333333333333334, 1.0 }],
        ["Softsign", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.7142857142857143, -0.5, -0.23076923076923075, 0.0, 0.28571428571428575, 0.5, 0.7297297297297297 }],
        ["Mish", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -0.19681620390653337, -0.30340146137410895, -0.15113317713833455, 0.0, 0.2890305340723631, 0.8650983882673103, 2.6786701114408404 }],
        ["Tanhshrink", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.5133857018485697, -0.23840584404423515, -0.008687387548409087, 0.0, 0.020051037744775124, 0.23840584404423515, 1.7089925463218827 }],
        ["Hardtanh", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.0, -1.0, -0.3, 0.0, 0.4, 1.0, 1.0 }],
        ["Celu", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.2166865957436572, -0.729874321451112, -0.27190387038302727, 0.0, 0.4, 1.0, 2.7 }],
        ["LogSigmoid", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -2.5788897342925496, -1.3132616875182228, -0.8543552444685272, -0.6931471805599453, -0.5130152523999526, -0.31326168751822286, -0.06504356177659054 }],
        ["Softshrink", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -2.0, -0.5, 0.0, 0.0, 0.0, 0.5, 2.2 }],
        ["Hardshrink", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -2.5, -1.0, 0.0, 0.0, 0.0, 1.0, 2.7 }],
        ["Exp2", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.1767766952966369, 0.5, 0.8122523963562356, 1.0, 1.3195079107728942, 2.0, 6.498019170849885 }],
        ["Sinc", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { 0.12732395447351627, 3.8981718325193755e-17, 0.8583936913341398, 1.0, 0.756826728640657, 3.8981718325193755e-17, 0.09537707681490445 }],
        ["Deg2rad", new double[] { -250.0, -100.0, -30.0, 0.0, 40.0, 100.0, 270.0 }, new double[] { -4.363323129985824, -1.7453292519943295, -0.5235987755982988, 0.0, 0.6981317007977318, 1.7453292519943295, 4.71238898038469 }],
        ["Rad2deg", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -143.2394487827058, -57.29577951308232, -17.188733853924695, 0.0, 22.918311805232932, 57.29577951308232, 154.6986046853223 }],
        ["Logit", new double[] { 0.01, 0.2, 0.5, 0.7, 0.99, 0.3, 0.6 }, new double[] { -4.59511985013459, -1.3862943611198906, 0.0, 0.8472978603872034, 4.595119850134589, -0.8472978603872036, 0.4054651081081642 }],
        ["Cbrt", new double[] { -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.7 }, new double[] { -1.3572088082974532, -1.0, -0.6694329500821695, 0.0, 0.7368062997280773, 1.0, 1.3924766500838337 }],
    ];

    [TestCaseSource(nameof(Cases))]
    public void Float64MatchesTorch(string op, double[] input, double[] expected)
    {
        var y = Ops[op](Tensor.FromArray(input));
        Assert.That(y.DType, Is.EqualTo(DType.Float64));
        Expect.Close(y, expected, Float64Tolerance(op), [input.Length]);
    }

    [TestCaseSource(nameof(Cases))]
    public void Float32OnAStridedViewMatchesTorch(string op, double[] input, double[] expected)
    {
        var x = Expect.Strided(input, DType.Float32);
        var y = Ops[op](x);
        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        Assert.That(y.IsContiguous, Is.True);
        Expect.Close(y, expected, 2e-6, [input.Length]);
    }

    [TestCaseSource(nameof(Cases))]
    public void EmptyInputGivesEmptyOutput(string op, double[] input, double[] expected)
    {
        var y = Ops[op](Tensor.Zeros(0, 3));
        Assert.That(y.Shape, Is.EqualTo(new[] { 0, 3 }));
        Assert.That(y.Numel, Is.Zero);
    }

    [TestCaseSource(nameof(Cases))]
    public void TwoDimensionalInputKeepsItsShape(string op, double[] input, double[] expected)
    {
        var x = Tensor.FromArray(input[..6], 2, 3).T; // transposed: column-major reads
        var y = Ops[op](x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 3, 2 }));
        var e = new[] { expected[0], expected[3], expected[1], expected[4], expected[2], expected[5] };
        Expect.Close(y, e, Float64Tolerance(op));
    }

    [Test]
    public void IntegerInputsKeepTheirDtypeForNumericOps()
    {
        var x = Tensor.FromArray(new[] { -3, 0, 5 });
        Assert.That(x.Neg().ToArray<int>(), Is.EqualTo(new[] { 3, 0, -5 }));
        Assert.That(x.Abs().ToArray<int>(), Is.EqualTo(new[] { 3, 0, 5 }));
        Assert.That(x.Square().ToArray<int>(), Is.EqualTo(new[] { 9, 0, 25 }));
        Assert.That(x.Sign().ToArray<int>(), Is.EqualTo(new[] { -1, 0, 1 }));
        Assert.That(x.Relu().ToArray<int>(), Is.EqualTo(new[] { 0, 0, 5 }));
        var l = Tensor.FromArray(new long[] { -7, 8 });
        Assert.That(l.Abs().ToArray<long>(), Is.EqualTo(new long[] { 7, 8 }));
        Assert.That(Tensor.FromArray(new byte[] { 3, 250 }).Square().ToArray<byte>(), Is.EqualTo(new byte[] { 9, 36 }), "uint8 wraps like NumPy");
    }

    [Test]
    public void IntegerInputsOfFloatOpsComputeInFloat32()
    {
        var x = Tensor.FromArray(new long[] { 0, 1, 4 });
        var y = x.Sqrt();
        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        Assert.That(y.ToArray(), Is.EqualTo(new float[] { 0, 1, 2 }));
        Assert.That(Tensor.FromArray(new[] { 0 }).Exp().ToArray(), Is.EqualTo(new float[] { 1 }));
        Assert.That(Tensor.FromArray(new[] { -2, 3 }).Floor().ToArray<int>(), Is.EqualTo(new[] { -2, 3 }), "rounding an integer is the identity");
    }

    [Test]
    public void BoolInputOfNumericOpIsRejectedWithItsDtype()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { true }).Neg());
        Assert.That(ex!.Message, Does.Contain("bool"));
    }

    [Test]
    public void ZeroDimensionalInputGivesZeroDimensionalOutput()
    {
        var y = Tensor.Scalar(0.5, DType.Float64).Sigmoid();
        Assert.That(y.Rank, Is.Zero);
        Assert.That(y.Item(), Is.EqualTo(0.6224593312018546).Within(1e-15));
    }

    [Test]
    public void SpecialValuesFollowIeee()
    {
        var x = Tensor.FromArray(new[] { double.NegativeInfinity, double.PositiveInfinity, double.NaN, 0 });
        Expect.Close(x.Exp(), [0, double.PositiveInfinity, double.NaN, 1]);
        Expect.Close(x.Tanh(), [-1, 1, double.NaN, 0]);
        Expect.Close(x.Sigmoid(), [0, 1, double.NaN, 0.5]);
        Expect.Close(x.Softplus(), [0, double.PositiveInfinity, double.NaN, Math.Log(2)]);
        Expect.Close(x.Log(), [double.NaN, double.PositiveInfinity, double.NaN, double.NegativeInfinity]);
        Expect.Close(Tensor.FromArray(new[] { 1e-10 }).Log1p(), [9.9999999995e-11], 1e-15);
        Expect.Close(Tensor.FromArray(new[] { 1e-10 }).Expm1(), [1.00000000005e-10], 1e-15);
    }

    [Test]
    public void ClampPowAndNanToNum()
    {
        var x = Tensor.FromArray(new[] { -2.0, 0.5, 3.0 });
        Expect.Close(x.Clamp(-1, 1), [-1, 0.5, 1]);
        Expect.Close(x.Clamp(min: 0), [0, 0.5, 3]);
        Expect.Close(x.Clip(max: 0), [-2, 0, 0]);
        Expect.Close(x.Pow(3), [-8, 0.125, 27]);
        Expect.Close(x.Pow(0.5), [double.NaN, Math.Sqrt(0.5), Math.Sqrt(3)]);
        Assert.That(Tensor.FromArray(new[] { 1, 5, 9 }).Clamp(2, 6).ToArray<int>(), Is.EqualTo(new[] { 2, 5, 6 }));
        var bad = Tensor.FromArray(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 2 });
        Expect.Close(bad.NanToNum(), [0, double.MaxValue, -double.MaxValue, 2]);
        Expect.Close(bad.NanToNum(1, 10, -10), [1, 10, -10, 2]);
        Assert.That(bad.IsNaN().ToArray<bool>(), Is.EqualTo(new[] { true, false, false, false }));
        Assert.That(bad.IsInf().ToArray<bool>(), Is.EqualTo(new[] { false, true, true, false }));
        Assert.That(bad.IsFinite().ToArray<bool>(), Is.EqualTo(new[] { false, false, false, true }));
        var ex = Assert.Throws<ArgumentException>(() => x.Clamp(2, 1));
        Assert.That(ex!.Message, Does.Contain("min 2").And.Contain("max 1"));
        Assert.Throws<ArgumentException>(() => x.Clamp());
        Assert.That(Assert.Throws<ArgumentException>(() => x.Logit(0.7))!.Message, Does.Contain("0.7"));
    }

    [Test]
    public void LogitWithEpsClampsFirst()
    {
        // torch.logit(torch.tensor([0., 0.5, 1.]), eps=1e-6)
        Expect.Close(Tensor.FromArray(new[] { 0.0, 0.5, 1.0 }).Logit(1e-6), [-13.815509557935018, 0, 13.815509557935018], 1e-9);
    }
}
