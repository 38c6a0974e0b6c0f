//! The words a figure prints, in the app's two languages (en, zh-CN): axis names, the kinds of
//! critical points, the start marker. Scene and preset texts carry their own translations.

use crate::critical::Kind;
use crate::error::{Error, Result};
use crate::scene::Text;

/// The language of a figure's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    /// `"en"` or `"zh-CN"` (as the app's catalogs are named).
    pub fn parse(code: &str) -> Result<Lang> {
        match code {
            "en" => Ok(Lang::En),
            "zh-CN" => Ok(Lang::ZhCn),
            other => Err(Error::invalid("lang", other, "en or zh-CN")),
        }
    }

    /// The text of a scene or preset in this language.
    pub fn pick(self, text: &Text) -> &str {
        match self {
            Lang::En => &text.en,
            Lang::ZhCn => &text.zh,
        }
    }

    fn say(self, en: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::ZhCn => zh,
        }
    }

    /// The x axis of the loss chart.
    pub fn step(self) -> &'static str {
        self.say("step", "步数")
    }

    /// The y axis of the loss chart.
    pub fn loss(self) -> &'static str {
        self.say("loss", "损失")
    }

    /// The y axis of the loss chart when some loss is ≤ 0 and the gap to the lowest is shown.
    pub fn loss_gap(self) -> &'static str {
        self.say("loss − lowest loss", "损失 − 最低损失")
    }

    /// The lowest loss of all runs, which the gap is measured from.
    pub fn lowest_loss(self) -> &'static str {
        self.say("lowest loss", "最低损失")
    }

    /// The legend entry of the shared start point.
    pub fn start(self) -> &'static str {
        self.say("start", "起点")
    }

    /// The legend entry of a run that left the finite numbers (or its bound).
    pub fn diverged(self) -> &'static str {
        self.say("diverged", "发散")
    }

    /// After the legend label of a run that diverged at `step`.
    pub fn diverged_at(self, step: usize) -> String {
        match self {
            Lang::En => format!(" (diverged at step {step})"),
            Lang::ZhCn => format!("（第 {step} 步发散）"),
        }
    }

    /// The legend entry of a kind of critical point.
    pub fn kind(self, kind: Kind) -> &'static str {
        match kind {
            Kind::Minimum => self.say("local minimum", "局部最小值"),
            Kind::Maximum => self.say("local maximum", "局部最大值"),
            Kind::Saddle => self.say("saddle point", "鞍点"),
            Kind::Degenerate => self.say("degenerate point", "退化临界点"),
        }
    }

    /// ", " in running text: the full-width comma in Chinese.
    pub fn comma(self) -> &'static str {
        self.say(", ", "，")
    }

    /// The lecture variant of an optimizer, after its name.
    pub fn lecture(self) -> &'static str {
        self.say(" (lecture)", "（课程版）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_and_unknown_ones_are_named() {
        assert_eq!(Lang::parse("en").unwrap(), Lang::En);
        assert_eq!(Lang::parse("zh-CN").unwrap(), Lang::ZhCn);
        let e = Lang::parse("fr").unwrap_err().to_string();
        assert!(e.contains("fr") && e.contains("zh-CN"), "{e}");
        assert_eq!(Lang::ZhCn.loss(), "损失");
    }
}
