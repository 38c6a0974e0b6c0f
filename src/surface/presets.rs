//! The preset surfaces of the lecture, each with a view box, a start point and a description.

use super::ViewBox;
use serde::Serialize;

/// A named surface a student can pick.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Preset {
    pub id: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub formula: &'static str,
    pub view: ViewBox,
    /// A start point that shows the surface's lesson.
    pub start: [f64; 2],
    pub description_en: &'static str,
    pub description_zh: &'static str,
    /// The critical points inside `view` (as `critical::find` reports them), for a preset
    /// whose description states how many there are; a test holds the two together.
    pub counts: Option<CriticalCounts>,
}

/// How many minima, saddles and maxima a surface has in a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CriticalCounts {
    pub minima: usize,
    pub saddles: usize,
    pub maxima: usize,
}

const fn counts(minima: usize, saddles: usize, maxima: usize) -> Option<CriticalCounts> {
    Some(CriticalCounts {
        minima,
        saddles,
        maxima,
    })
}

const fn vb(x0: f64, x1: f64, y0: f64, y1: f64) -> ViewBox {
    ViewBox {
        x: [x0, x1],
        y: [y0, y1],
    }
}

const PRESETS: &[Preset] = &[
    Preset {
        id: "bowl",
        name_en: "Round bowl",
        name_zh: "圆碗",
        formula: "x^2 + y^2",
        view: vb(-3.0, 3.0, -3.0, 3.0),
        start: [2.5, 1.5],
        description_en: "Equal curvature in every direction: the gradient points straight at the minimum.",
        description_zh: "各方向曲率相同：梯度直接指向全局最小值。",
        counts: None,
    },
    Preset {
        id: "ravine",
        name_en: "Ravine (condition 25)",
        name_zh: "山谷（条件数 25）",
        formula: "0.5*(x^2 + 25*y^2)",
        view: vb(-5.0, 5.0, -2.0, 2.0),
        start: [-4.0, 1.5],
        description_en: "A convex but elongated valley: a large learning rate bounces across it while progress along it is slow.",
        description_zh: "凸但狭长的山谷：学习率大时在谷壁间来回震荡，沿谷底方向前进缓慢。",
        counts: None,
    },
    Preset {
        id: "ravine_steep",
        name_en: "Steep ravine (condition 100)",
        name_zh: "陡峭山谷（条件数 100）",
        formula: "0.05*x^2 + 5*y^2",
        view: vb(-5.0, 5.0, -1.5, 1.5),
        start: [4.0, 1.0],
        description_en: "A convex quadratic valley, 100 times more curved across than along: one learning rate for both directions is too large across or too small along.",
        description_zh: "凸的二次山谷，横向曲率是纵向的 100 倍：两个方向共用一个学习率时，对横向太大，或对纵向太小。",
        counts: None,
    },
    Preset {
        id: "ravine_walls",
        name_en: "Ravine with straight walls",
        name_zh: "直壁山谷",
        // Convex (x² and log cosh are), minimum 0 at the origin. Across the valley the slope
        // 20·4·tanh(4y) levels off at 80, so a fixed lr of 10⁻² overshoots the floor
        // (20·4² = 320 > 2/10⁻²) yet cannot run away: it bounces between the walls
        // (the ravine scene measures it).
        formula: "0.1*x^2 + 20*log(cosh(4*y))",
        view: vb(-5.0, 5.0, -1.5, 1.5),
        start: [4.0, 1.0],
        description_en: "Convex: a gentle 0.1x² along the valley floor and walls 20·log cosh(4y) whose slope levels off at 80. A fixed learning rate of 10⁻² bounces between the walls: the loss stops falling while the gradient stays large.",
        description_zh: "凸曲面：沿谷底是平缓的 0.1x²，谷壁 20·log cosh(4y) 的坡度趋于常数 80。固定学习率 10⁻² 会在谷壁间来回反弹：损失不再下降，梯度却仍很大。",
        counts: None,
    },
    Preset {
        id: "saddle",
        name_en: "Saddle",
        name_zh: "鞍点",
        formula: "x^2 - y^2",
        view: vb(-2.0, 2.0, -2.0, 2.0),
        start: [1.5, 0.001],
        description_en: "The gradient is zero at the origin, yet it is no local minimum: the Hessian has one positive and one negative eigenvalue.",
        description_zh: "原点处梯度为零，却不是局部最小值：海森矩阵有一个正特征值和一个负特征值。",
        counts: None,
    },
    Preset {
        id: "monkey_saddle",
        name_en: "Monkey saddle",
        name_zh: "猴鞍",
        formula: "x^3 - 3*x*y^2",
        view: vb(-1.5, 1.5, -1.5, 1.5),
        start: [0.8, 0.2],
        description_en: "A degenerate critical point: the Hessian is zero, so second-order information cannot classify it.",
        description_zh: "退化的临界点：海森矩阵为零，二阶信息无法判断其类型。",
        counts: None,
    },
    Preset {
        id: "rosenbrock",
        name_en: "Rosenbrock",
        name_zh: "Rosenbrock 函数",
        formula: "(1-x)^2 + 100*(y-x^2)^2",
        view: vb(-2.0, 2.0, -1.0, 3.0),
        start: [-1.2, 1.0],
        description_en: "A curved banana-shaped valley: easy to find, hard to follow to the minimum at (1, 1).",
        description_zh: "弯曲的香蕉形山谷：很容易找到，却很难沿着它走到 (1, 1) 处的全局最小值。",
        counts: None,
    },
    Preset {
        id: "himmelblau",
        name_en: "Himmelblau",
        name_zh: "Himmelblau 函数",
        formula: "(x^2+y-11)^2 + (x+y^2-7)^2",
        view: vb(-5.0, 5.0, -5.0, 5.0),
        start: [0.0, 0.0],
        description_en: "Four local minima of equal depth, four saddles and one local maximum: where you start decides where you end.",
        description_zh: "四个局部最小值（同样深）、四个鞍点和一个局部最大值：起点决定终点。",
        counts: counts(4, 4, 1),
    },
    Preset {
        id: "six_hump_camel",
        name_en: "Six-hump camel",
        name_zh: "六峰驼背函数",
        formula: "(4-2.1*x^2+x^4/3)*x^2 + x*y + (-4+4*y^2)*y^2",
        view: vb(-2.0, 2.0, -1.0, 1.0),
        start: [-1.5, -0.5],
        description_en: "Six local minima (two global), seven saddles and two local maxima in a small box.",
        description_zh: "小范围内有六个局部最小值（其中两个是全局最小值）、七个鞍点和两个局部最大值。",
        counts: counts(6, 7, 2),
    },
    Preset {
        id: "double_well",
        name_en: "Asymmetric double well",
        name_zh: "非对称双势阱",
        formula: "x^4 - 3*x^2 + x + y^2",
        view: vb(-2.5, 2.5, -2.0, 2.0),
        start: [2.0, 1.5],
        description_en: "A local minimum beside a deeper global one: plain gradient descent stops in the first; momentum can roll over the hump.",
        description_zh: "局部最小值旁边是更深的全局最小值：普通梯度下降会停在前者，动量可以越过中间的小坡。",
        counts: None,
    },
    Preset {
        id: "four_wells",
        name_en: "Four quartic wells",
        name_zh: "四个四次势阱",
        formula: "(x^2-1)^2 + (y^2-1)^2",
        view: vb(-2.0, 2.0, -2.0, 2.0),
        start: [0.2, 0.05],
        description_en: "Four local minima, four saddles and one local maximum at the origin: as many saddles as local minima.",
        description_zh: "四个局部最小值、四个鞍点和一个局部最大值（在原点）：鞍点与局部最小值一样多。",
        counts: counts(4, 4, 1),
    },
    Preset {
        id: "beale",
        name_en: "Beale",
        name_zh: "Beale 函数",
        formula: "(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2",
        view: vb(-4.5, 4.5, -4.5, 4.5),
        start: [1.0, 1.0],
        description_en: "Flat plateaus and sharp ridges, with its minimum at (3, 0.5).",
        description_zh: "平坦的高原与陡峭的山脊并存，全局最小值在 (3, 0.5)。",
        counts: None,
    },
    Preset {
        id: "booth",
        name_en: "Booth",
        name_zh: "Booth 函数",
        formula: "(x+2*y-7)^2 + (2*x+y-5)^2",
        view: vb(-10.0, 10.0, -10.0, 10.0),
        start: [-8.0, -8.0],
        description_en: "A tilted quadratic bowl with its minimum at (1, 3).",
        description_zh: "倾斜的二次碗，全局最小值在 (1, 3)。",
        counts: None,
    },
    Preset {
        id: "rastrigin",
        name_en: "Rastrigin",
        name_zh: "Rastrigin 函数",
        formula: "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        view: vb(-5.12, 5.12, -5.12, 5.12),
        start: [3.2, -2.3],
        description_en: "A bowl covered in a regular grid of small local minima.",
        description_zh: "碗形曲面上布满规则排列的小局部最小值。",
        counts: None,
    },
    Preset {
        id: "sin_sin",
        name_en: "sin(x)·sin(y)",
        name_zh: "sin(x)·sin(y)",
        formula: "sin(x)*sin(y)",
        view: vb(-3.5, 3.5, -3.5, 3.5),
        start: [0.3, 0.4],
        description_en: "An egg-crate of local minima, local maxima and saddles; in this box nine saddles against two local minima and two local maxima.",
        description_zh: "蛋托形曲面，局部最小值、局部最大值与鞍点交错；此范围内有九个鞍点，只有两个局部最小值和两个局部最大值。",
        counts: counts(2, 9, 2),
    },
    Preset {
        id: "sharp_flat",
        name_en: "Sharp vs flat minimum",
        name_zh: "尖锐与平坦的局部最小值",
        formula: "(1-exp(-8*((x+1.5)^2+y^2)))*(1-exp(-0.5*((x-1.5)^2+y^2))) + 0.02*((x^2-2.25)^2/2.25 + y^2)",
        view: vb(-4.0, 4.0, -3.0, 3.0),
        start: [0.0, 2.0],
        description_en: "Two global minima of equal depth (loss 0) in a gentle bowl, a sharp one at (-1.5, 0) and a flat one at (1.5, 0), with one saddle between them. Noisy small batches tend to leave the sharp one.",
        description_zh: "平缓的碗中有两个全局最小值，同样深（损失为 0）：(-1.5, 0) 处尖锐，(1.5, 0) 处平坦，中间隔着一个鞍点。批量较小、噪声较大的训练往往会离开尖锐的那个。",
        counts: counts(2, 1, 0),
    },
    Preset {
        id: "quartic_flat",
        name_en: "Flat-bottomed quartic",
        name_zh: "平底四次曲面",
        formula: "x^4 + y^4",
        view: vb(-2.0, 2.0, -2.0, 2.0),
        start: [1.8, -1.2],
        description_en: "A minimum whose Hessian is zero: the gradient fades long before the bottom.",
        description_zh: "海森矩阵为零的全局最小值：还没到底，梯度就已几乎为零。",
        counts: None,
    },
];

/// Every preset, in the order the picker shows them.
pub fn presets() -> &'static [Preset] {
    PRESETS
}

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERS_EN: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    const NUMBERS_ZH: [&str; 11] = [
        "零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    /// (singular, plural, Chinese) of minima, saddles, maxima.
    const KINDS: [(&str, &str, &str); 3] = [
        ("minimum", "minima", "最小值"),
        ("saddle", "saddles", "鞍点"),
        ("maximum", "maxima", "最大值"),
    ];

    /// Every count a description states, per kind: "four minima" / "四个最小值" → 4.
    fn stated(p: &Preset) -> [Vec<usize>; 3] {
        let en = p.description_en.to_lowercase();
        let mut out: [Vec<usize>; 3] = Default::default();
        for (k, (one, many, zh)) in KINDS.iter().enumerate() {
            for n in 1..NUMBERS_EN.len() {
                let noun = if n == 1 { one } else { many };
                // "four minima", "four local minima", "two global minima" (and in Chinese).
                let in_en = ["", "local ", "global "]
                    .iter()
                    .any(|scope| en.contains(&format!("{} {scope}{noun}", NUMBERS_EN[n])));
                let in_zh = ["", "局部", "全局"].iter().any(|scope| {
                    p.description_zh
                        .contains(&format!("{}个{scope}{zh}", NUMBERS_ZH[n]))
                });
                if in_en || in_zh {
                    out[k].push(n);
                }
                if in_en != in_zh {
                    // A count in one language only: stated twice, so it never matches.
                    out[k].push(n);
                }
            }
        }
        out
    }

    /// What is wrong with a preset's stated counts (empty when its description, its `counts`
    /// and `critical::find` over its view agree).
    fn problems(p: &Preset) -> Vec<String> {
        use crate::critical::{find, Kind};
        let said = stated(p);
        let Some(c) = p.counts else {
            if said.iter().any(|s| !s.is_empty()) {
                return vec![format!(
                    "{}: the description states counts {said:?}, so the preset needs `counts`",
                    p.id
                )];
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        let want = [c.minima, c.saddles, c.maxima];
        for (k, n) in want.iter().enumerate() {
            let words: Vec<usize> = if *n == 0 { Vec::new() } else { vec![*n] };
            if said[k] != words {
                out.push(format!(
                    "{}: the descriptions state {:?} {}, `counts` says {n}",
                    p.id, said[k], KINDS[k].1
                ));
            }
        }
        let f = match crate::surface::resolve(p.formula) {
            Ok(f) => f,
            Err(e) => return vec![format!("{}: {e}", p.id)],
        };
        let found = find(&f, p.view);
        let count = |kind| found.points.iter().filter(|q| q.kind == kind).count();
        let have = [
            count(Kind::Minimum),
            count(Kind::Saddle),
            count(Kind::Maximum),
        ];
        if have != want || count(Kind::Degenerate) != 0 {
            out.push(format!(
                "{}: critical::find over the view finds {have:?} (and {} degenerate), `counts` says {want:?}",
                p.id,
                count(Kind::Degenerate)
            ));
        }
        out
    }

    #[test]
    fn stated_critical_point_counts_are_what_critical_find_reports() {
        let all: Vec<String> = presets().iter().flat_map(problems).collect();
        assert!(all.is_empty(), "{}", all.join("\n"));
        assert!(presets().iter().filter(|p| p.counts.is_some()).count() >= 5);
    }

    #[test]
    fn a_wrong_count_is_caught() {
        let good = *preset("four_wells").unwrap();
        assert!(problems(&good).is_empty());
        // The old description's claim, "saddles outnumber minima", as counts: find disagrees.
        let mut p = good;
        p.counts = counts(4, 5, 1);
        p.description_en = "Four minima, five saddles and one maximum.";
        p.description_zh = "四个最小值、五个鞍点和一个最大值。";
        assert_eq!(problems(&p).len(), 1, "{:?}", problems(&p));
        // Counts the text does not say.
        let mut p = good;
        p.counts = counts(4, 5, 1);
        assert_eq!(problems(&p).len(), 2, "{:?}", problems(&p));
        // A count stated in English only.
        let mut p = good;
        p.description_en = "Four minima, four saddles and one maximum; two maxima.";
        assert_eq!(problems(&p).len(), 1, "{:?}", problems(&p));
        // A description with counts but no `counts`.
        let mut p = good;
        p.counts = None;
        assert_eq!(problems(&p).len(), 1, "{:?}", problems(&p));
    }
}
