"""Figures stated in running text: the metric from the words before (or right after) a
number, the level from the school type named with it, the year from the timeline.

A clause without its own metric word continues the one before it when what is left is
only a level and filler (`普通小学生均13421.51元`, `初中为 15263元`, `其中小学2745人`);
comparisons yield the earlier year's figure (`比上年的387878万元`), and changes attach
to the figure they follow (`同比增加…`, `增长…%`, `提高…个百分点`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import TypeVar

from edufig.core.catalog import load_metrics
from edufig.extract.levels import LEVEL_PATTERN, LevelHit, find_levels
from edufig.extract.lexicon import (
    AID,
    IMPLIED_LEVEL,
    LEVEL_RATE,
    KeywordHit,
    accepts,
    find_keywords,
    partial_metric,
    postfix_metric,
    rate_for_level,
)
from edufig.extract.numbers import Quantity, find_quantities
from edufig.extract.respective import respective_assignments
from edufig.extract.scope import scope_code, scope_spans
from edufig.extract.sentences import CLAUSE_MARKS, GROUP_MARKS, MarkIndex, Sentence
from edufig.extract.spans import Spans, blank
from edufig.extract.timeline import Timeline, When

T = TypeVar("T")
# A clause ending in a change verb (`同比增加`, `比上年净增`, `较去年下降了`). Only tested for
# a match, so the words that may precede the verb (`同比`, `比上年`, `分别`, `净`) need not be
# spelled out, and every branch opens with a literal, which lets `re` skip in C.
CHANGE = re.compile(
    r"(?:增加|增长|提高|提升|上升|减少|下降|降低|回落|增幅为?|降幅为?|增速为?"
    r"|同比[增减]|上年[增减]|去年[增减]|净[增减])了?$"
)
NEGATIVE_CHANGE = ("减", "下降", "降低", "回落", "降幅")
BASE = re.compile(
    r"^(?:同比)?(?:比|较|相比|相较于?)(?P<when>上年|去年|上一年|\d{4} ?年)(?:同期)?的?$"
)
NAMED_BASE = re.compile(r"^(?:比|较|相比|相较于?)\d{4} ?年")
PROGRESSION = re.compile(r"^(?:提高|增加|增长|上升|提升|下降|减少|降低)(?:到|至)(?:\d{4} ?年)?的?$")
RATIO_TAIL = re.compile(r"^的?(?:比例|比重)(?:为|是|达到?)?$")
FILLER = re.compile(
    r"其中|包括|分别|[全我本该][市区县州省旗盟]|(?:示范|开发|高新|经开|新)区|市本级|县本级|区本级|现有|共有|总计|合计|共计|累计|"
    r"达到|保持|为|是|达|有|共|计|已|均|约|近|逾|的|和|及|学年|年|在校|阶段|\([^()]*\)|[\s\d、:()“”\"'.\-]"
)
INVEST_VERB = re.compile(
    r"(?:投入|投资|筹措|筹资|拨付|安排)(?:资金|经费)?(?:约|近|逾|超过|共计|达)?$"
)
PLANNED = re.compile(
    r"(?:年度|年|再|将)计划|计划(?:投资|新增|再|新建|建设)|规划|目标|力争|争取|预计"
)
# Planning words earlier in a sentence (`拟新建`, `计划投资`, `今年将新增`). Only tested for a
# match, so words before `将` (`今年`, `年内`) need not be listed; every branch opens with a
# literal (`模拟` is excluded after its `拟`), which lets `re` skip in C.
PLANNED_SENTENCE = re.compile(
    r"拟(?<!模拟)(?:新增|新建|投入|建设|安排|招聘|完成)|计划(?:投资|新增|新建|改扩建|建设|完成|安排|招聘)"
    r"|将(?:新建|新增|改扩建|建设|建成|投入|安排|完成|招聘|增加)"
    r"|任务目标|目标是"
)
DONE = re.compile(r"已|完成|实际|累计|实现")
AID_TOPIC = re.compile(r"资助|助学|免除[^,;。]{0,16}费|营养改善|惠及[^,;。]{0,8}学生|三包")
SAMPLE = re.compile(r"抽查|抽取|抽样|随机")
SAMPLED_COUNTS = ("schools", "students_enrolled", "full_time_teachers", "staff_total")
SHORT_SENTENCE = 40
IT_TOPIC = re.compile(r"信息化|班班通|多媒体|三通两平台|智慧校园")
BUILD_TOPIC = re.compile(
    r"(?:新建|改扩建|扩建|改建|建设)[^,;。]{0,12}?(?:学校|幼儿园|小学|中学|校舍)"
    r"|(?:学校|幼儿园|小学|中学|校舍)[^,;。]{0,3}建设|基本建设|基建|改薄|固定资产"
)
SKIP_WORDS = re.compile(r"代课|[12一二]类")
PART_YEAR = re.compile(r"[春秋]季?学期|上半年|下半年|\d{1,2} ?[-—~至] ?\d{1,2} ?月")
AFTER_NUMBER_OK = (
    "以上",
    "以下",
    "以内",
    "左右",
    "其中",
    "和",
    "及",
    "与",
    "、",
    "分别",
    "比",
    "较",
    "同比",
    "增",
    "减",
    "占",
    "提高",
    "提升",
    "上升",
    "下降",
    "降低",
    "资金",
    "的",
)
CJK = re.compile(r"[\u4e00-\u9fff]")
SCHOOL_NOUN = re.compile(r"学校|幼儿园|小学|初中|中学|高中|公办园|中职|校$|园$")
SCHOOL_FILLER = re.compile(r"在册|学校|中学|校|园")
SCHOOL_SUBTYPE = re.compile(
    r"公办|民办|城区|城镇|农村|乡镇|乡村|街乡|联校|中心|完全|示范|特色|新建|改扩建|扩建|建成|"
    r"改造|维修|启动|开工|标准化|寄宿制|薄弱|改薄|分校|教学点|直属|九年一贯制|省级|国家级|市级|"
    r"结对|对口|帮扶|试点|基地|达标|优质|品质|星级|等级|市直|县直|区直|[“”\"]"
)
RESIDUAL_LIMIT = 2
STOCK_COUNTS = ("full_time_teachers", "staff_total", "students_enrolled")
COUNT_FILLER = re.compile(r"总数|总计|总量|人数|数量|完成|规模")
SUBSET_GAP = 3
EVIDENCE_CONTEXT = 120
INVESTMENT = ("capital_investment", "edu_it_investment")
LEVEL_AFTER = (*INVESTMENT, "student_aid_funds")
LEVEL_RATES = frozenset(LEVEL_RATE.values())
# Measured over an age group, not a school level: a section heading does not narrow them.
WHOLE_AGE_GROUP = (
    "myopia_rate",
    "physical_fitness_pass_rate",
    "physical_fitness_excellent_rate",
    "disabled_children_enrollment_rate",
)
HEADING_STARTS = frozenset(" \t\n(一二三四五六七八九十0123456789")
BREAKDOWN_OPENING = re.compile(r"\s*其中[,:]?")
NUMBERED_HEADING = re.compile(
    r"\s*(?:[(]?[一二三四五六七八九十]{1,3}[)、]|[(]\d{1,2}[)]|\d{1,2}[.、](?!\d))"
    r"\s*(?P<title>[^。:;,\n\d]{1,14})(?:[。:\n]|$)"
)
LABELLED_NUMBER = re.compile(r"(?:为|是|达到?|:|每生|生均|每人)? ?(?=\d)")
BY_LEVEL_WORDS = {"by_level": "入学率", "by_level_gross": "毛入学率"}
BENEFICIARIES = re.compile(r"惠及|受益|覆盖")


@dataclass
class Draft:
    """A figure before it becomes a `Figure`: offsets are into the scanned text."""

    metric: str
    level: str
    when: When
    quantity: Quantity
    start: int
    end: int
    yoy_change: float | None = None
    yoy_growth_pct: float | None = None
    base: bool = False
    of: Draft | None = None
    evidence: tuple[int, int] | None = None
    scope: str | None = None
    cues: dict[str, str] = field(default_factory=dict)


@dataclass
class SentenceState:
    sentence: Sentence
    drafts: list[Draft]
    previous: Draft | None = None
    previous_end: int = 0
    previous_was_change: bool = False
    carried: bool = False
    # Where the clause of the quantity being read ends (its next clause mark), looked up once.
    clause_end: int = 0


class ProseReader:
    """Reads every sentence of one scanned text and returns its figure drafts."""

    def __init__(self, text: str, timeline: Timeline, places: Spans):
        self.text = text
        self.clauses = mask_parentheses(text)
        self.scopes = Spans(scope_spans(text))
        self.unscoped = blank(text, Spans(self.scopes.spans + places.spans))
        self.clause_marks = MarkIndex(self.clauses, CLAUSE_MARKS)
        self.group_marks = MarkIndex(text, GROUP_MARKS)
        asides = [m.span() for m in PARENTHESES.finditer(text)]
        self.parentheses = Spans(asides + [m.span() for m in BOOK_TITLES.finditer(text)])
        self.timeline = timeline
        self.quantities = find_quantities(text)
        self.quantity_starts = [q.start for q in self.quantities]
        self.keywords = find_keywords(text)
        self.keyword_ends = [k.end for k in self.keywords]
        self.levels = find_levels(text)
        self.level_starts = [h.start for h in self.levels]
        self.topic: str | None = None
        self.respective = respective_assignments(
            text, self.quantities, self._keywords, self._levels, self.clause_marks
        )
        self.sentence_level: str | None = None
        self.heading_level: str | None = None
        self.cues: dict[str, str] = {}
        self.last_draft: Draft | None = None
        self.opening_checked: tuple[int, bool] = (-1, False)
        self.paragraph = -1

    def read(self, sentences: list[Sentence]) -> list[Draft]:
        drafts: list[Draft] = []
        for sentence in sentences:
            drafts.extend(self._sentence(sentence))
        return drafts

    def _keywords(self, lo: int, hi: int) -> list[KeywordHit]:
        index = bisect_left(self.keyword_ends, lo)
        out = []
        while index < len(self.keywords) and self.keyword_ends[index] <= hi:
            hit = self.keywords[index]
            if hit.start >= lo:
                out.append(hit)
            index += 1
        return out

    def _levels(self, lo: int, hi: int) -> list[LevelHit]:
        index = bisect_left(self.level_starts, lo)
        out = []
        while index < len(self.levels) and self.levels[index].end <= hi:
            out.append(self.levels[index])
            index += 1
        return out

    def _visible(self, position: int, quantity_start: int) -> bool:
        """False for words inside a parenthetical that does not hold the quantity itself."""
        span = self.parentheses.around(position, strict=True)
        return span is None or span[1] > quantity_start

    def _scope(self, start: int, end: int) -> str | None:
        """The first scope word of a clause names the part of the population it is about."""
        found = self.scopes.within(start, end)
        return scope_code(self.text[found[0][0] : found[0][1]]) if found else None

    def _noted(self, name: str, how: str, value: T) -> T:
        """Record which cue decided `name` (for `edufig extract --explain` and confidence)."""
        self.cues[name] = how
        return value

    def _update_heading(self, sentence: Sentence) -> None:
        """A numbered heading (`(二)小学。`, `三、学前教育`) gives its level to the figures
        under it until the next heading."""
        if self.text[sentence.start : sentence.start + 1] not in HEADING_STARTS:
            return
        found = NUMBERED_HEADING.match(self.text, sentence.start, sentence.end)
        if found is not None:
            self.heading_level = single_level(find_levels(found["title"]))

    def _update_topic(self, sentence: Sentence) -> None:
        last = sentence.end - 1
        while last > sentence.start and self.text[last] in " \t\r":
            last -= 1
        if last >= sentence.start and self.text[last] == ":":
            full = [
                k
                for k in self._keywords(sentence.start, sentence.end)
                if k.metrics and not k.partial
            ]
            self.topic = full[-1].metrics[0] if full else self.topic

    def _sentence(self, sentence: Sentence) -> list[Draft]:
        self._update_topic(sentence)
        self._update_heading(sentence)
        if sentence.paragraph_start != self.paragraph:
            self.paragraph = sentence.paragraph_start
            self.sentence_level = None
        index = bisect_left(self.quantity_starts, sentence.start)
        if index == len(self.quantities) or self.quantities[index].end > sentence.end:
            self.sentence_level = None
            return []
        state = SentenceState(sentence, [], previous_end=sentence.start)
        if self.last_draft is not None and BREAKDOWN_OPENING.match(self.text, sentence.start):
            state.previous, state.carried = self.last_draft, True
        while index < len(self.quantities) and self.quantities[index].end <= sentence.end:
            self._quantity(state, self.quantities[index])
            index += 1
        self.last_draft = state.drafts[-1] if state.drafts else None
        if self.text.find("分别", sentence.start, sentence.end) != -1:
            apply_respective_changes(self.text[sentence.start : sentence.end], state.drafts)
        counts = [d for d in state.drafts if d.metric == "schools"]
        short = sentence.end - sentence.start <= SHORT_SENTENCE
        self.sentence_level = counts[-1].level if counts and short else None
        return state.drafts

    def _quantity(self, state: SentenceState, quantity: Quantity) -> None:
        sentence = state.sentence
        self.cues = {}
        seg_start = max(
            self.clause_marks.last(sentence.start, quantity.start),
            state.previous_end,
        )
        segment = self.unscoped[seg_start : quantity.start]
        was_change = state.previous_was_change
        state.previous_end = quantity.end
        state.previous_was_change = False
        if self._skipped(sentence, segment, quantity):
            return
        if self._is_change(segment, was_change):
            state.previous_was_change = True
            changed = (
                state.previous.of if state.previous and state.previous.base else state.previous
            )
            if changed is not None:
                attach_change(changed, segment, quantity)
            return
        state.clause_end = self.clause_marks.next(quantity.end, sentence.end)
        drafts = self._drafts(state, seg_start, segment, quantity)
        scope = self._scope(seg_start, quantity.start) if drafts else None
        for draft in drafts:
            draft.scope = scope or (draft.of.scope if draft.of else None)
            draft.cues = dict(self.cues)
        state.drafts.extend(drafts)
        state.carried = state.carried and not drafts
        # A number of no catalog metric (地方经常性财政收入…) owns the change that follows it.
        state.previous = drafts[-1] if drafts else None

    def _skipped(self, sentence: Sentence, segment: str, quantity: Quantity) -> bool:
        if SKIP_WORDS.search(segment):
            return True
        flow_unit = quantity.unit in ("yuan", "person_time")
        if not flow_unit and self.text.find("资助", sentence.start, quantity.start) == -1:
            return False  # no flow: neither money nor aid anywhere before it in the sentence
        clause = self.clause_marks.last(sentence.start, quantity.start)
        before = self.clause_marks.last(sentence.start, max(sentence.start, clause - 1))
        group = self.group_marks.last(sentence.start, quantity.start)
        window = self.text[max(before, group) : quantity.start]
        flow = flow_unit or "资助" in window
        return flow and bool(PART_YEAR.search(window) or self._part_year_opening(sentence))

    def _part_year_opening(self, sentence: Sentence) -> bool:
        """`2020年秋季学期,…`: a semester named in a sentence's first clause covers all of it."""
        if sentence.start != self.opening_checked[0]:
            end = self.clause_marks.next(sentence.start, sentence.end)
            found = PART_YEAR.search(self.text, sentence.start, end) is not None
            self.opening_checked = (sentence.start, found)
        return self.opening_checked[1]

    @staticmethod
    def _is_change(segment: str, was_change: bool) -> bool:
        stripped = segment.strip()
        return bool(CHANGE.search(stripped)) or (was_change and stripped in ("、", "和", "及"))

    def _drafts(
        self, state: SentenceState, seg_start: int, segment: str, quantity: Quantity
    ) -> list[Draft]:
        stripped = segment.strip()
        previous = state.previous
        if previous is not None and (BASE.match(stripped) or PROGRESSION.match(stripped)):
            base = bool(BASE.match(stripped))
            return [self._continuation(state.sentence, previous, seg_start, quantity, base)]
        metric, levels = self._metric(state, seg_start, segment, quantity)
        metric, levels = self._respective(metric, levels, quantity)
        if metric is None or (metric in AID and "教师" in segment):
            return []
        when = self.timeline.when(
            quantity.start, state.sentence.start, state.sentence.paragraph_start
        )
        self.cues["year"] = self.timeline.last_cue
        if self._planned(state.sentence, segment, quantity):
            when = replace(when, target=True)
            self.cues["kind"] = "planning words in the sentence"
        end = state.clause_end
        base = bool(NAMED_BASE.match(stripped))
        evidence = sentence_evidence(state.sentence, seg_start, end)
        return [
            Draft(
                metric_for_level(metric, level),
                level,
                when,
                quantity,
                seg_start,
                end,
                base=base,
                evidence=evidence,
            )
            for level in levels
            if metric_for_level(metric, level) is not None
        ]

    def _planned(self, sentence: Sentence, segment: str, quantity: Quantity) -> bool:
        """A plan stated in the clause (`计划投资`), or earlier in the sentence
        (`计划新建…,新增学位…`) unless the clause reports what was done."""
        if PLANNED.search(segment):
            return True
        planned = PLANNED_SENTENCE.search(self.text, sentence.start, quantity.start)
        return planned is not None and not DONE.search(segment)

    def _respective(
        self, metric: str | None, levels: list[str], quantity: Quantity
    ) -> tuple[str | None, list[str]]:
        listed_metric, listed_level = self.respective.get(quantity.start, (None, None))
        if listed_metric is not None and accepts(listed_metric, quantity.unit):
            self._noted("metric", "listed before 分别", listed_metric)
            return listed_metric, [IMPLIED_LEVEL.get(listed_metric, "all")]
        if listed_level is not None and metric is not None:
            self._noted("level", "listed before 分别", listed_level)
            return level_rate(metric, listed_level), [listed_level]
        return metric, levels

    def _continuation(
        self, sentence: Sentence, previous: Draft, seg_start: int, quantity: Quantity, base: bool
    ) -> Draft:
        """The same metric and level as `previous` for a comparison base (`比上年的…`) or the
        value it changed to (`由2015年的32.9%提高到72.2%`)."""
        end = self.clause_marks.next(quantity.end, sentence.end)
        segment = self.text[seg_start : quantity.start]
        explicit = re.search(r"(\d{4}) ?年", segment)
        if explicit:
            when = When(int(explicit.group(1)), None, False)
        elif base:
            year = previous.when.year - 1 if previous.when.year else None
            when = When(year, None, False)
        else:
            when = self.timeline.when(quantity.start, sentence.start, sentence.paragraph_start)
        of = previous if base and not explicit else None
        evidence = sentence_evidence(sentence, seg_start, end)
        link = "comparison base of" if base else "value changed to from"
        self.cues.update(
            metric=f"{link} the figure before",
            level=f"{link} the figure before",
            year="stated in the clause" if explicit else f"{link} the figure before",
        )
        return Draft(
            previous.metric,
            previous.level,
            when,
            quantity,
            seg_start,
            end,
            base=base,
            of=of,
            evidence=evidence,
        )

    def _metric(
        self, state: SentenceState, seg_start: int, segment: str, quantity: Quantity
    ) -> tuple[str | None, list[str]]:
        lo = seg_start
        if quantity.unit == "percent" and RATIO_TAIL.match(segment.strip()):
            lo = self.clause_marks.last(state.sentence.start, seg_start - 1)
        after = self.text[quantity.end : state.clause_end]
        if is_before_noun(after):
            postfix = postfix_metric(after)
            if postfix is None or not accepts(postfix, quantity.unit):
                return None, []
            self._noted("metric", "noun after the number", postfix)
            return postfix, [self._inherited_level(state, quantity, postfix)]
        hits = [
            h for h in self._keywords(lo, quantity.start) if self._visible(h.start, quantity.start)
        ]
        levels = [
            h for h in self._levels(lo, quantity.start) if self._visible(h.start, quantity.start)
        ]
        previous = state.previous
        if hits:
            metric = choose_metric(hits, quantity, levels, previous, self.text, self.unscoped)
            words = self.text[hits[-1].start : hits[-1].end]
            self._noted("metric", f"keyword «{words}»", metric)
        else:
            metric = self._unnamed_metric(state, segment, quantity)
        if metric is None or self._sampled(state.sentence, metric, quantity):
            return None, []
        if metric == "schools" or is_school_count(segment, quantity.word):
            counted = is_school_count(segment, quantity.word)
            if not (counted or self._next_school_count(state, segment, quantity)):
                return None, []
            metric = "schools"
        return metric, self._level_list(state, metric, quantity, levels, hits)

    @staticmethod
    def _next_school_count(state: SentenceState, segment: str, quantity: Quantity) -> bool:
        """`大姚县普通高中2所,武定县3所`: the next place's count of the same schools."""
        previous = state.previous
        same = previous is not None and previous.metric == "schools"
        return same and quantity.word == "所" and not residual(segment)

    def _sampled(self, sentence: Sentence, metric: str, quantity: Quantity) -> bool:
        """Schools or people counted in an inspection's sample (`随机抽查学校260所,其中小学
        171所`) are not the area's stock."""
        return metric in SAMPLED_COUNTS and bool(
            SAMPLE.search(self.text, sentence.start, quantity.start)
        )

    def _unnamed_metric(self, state: SentenceState, segment: str, quantity: Quantity) -> str | None:
        after = self.text[quantity.end : state.clause_end]
        postfix = postfix_metric(after)
        if postfix is not None and accepts(postfix, quantity.unit):
            return self._noted("metric", "noun after the number", postfix)
        if is_school_count(segment, quantity.word):
            return self._noted("metric", "school noun before the number", "schools")
        if quantity.unit == "yuan" and INVEST_VERB.search(segment.strip()):
            topic = self._investment_topic(state.sentence, quantity)
            return self._noted("metric", "what money put in was for", topic)
        if residual(segment) > RESIDUAL_LIMIT or is_unnamed_subset(segment):
            return None
        group = self.group_marks.last(state.sentence.start, quantity.start)
        earlier = [
            fitting[0]
            for h in self._keywords(group, quantity.start)
            if len(fitting := [m for m in h.metrics if accepts(m, quantity.unit)]) == 1
        ]
        candidates = [
            ("continues the figure before", state.previous.metric if state.previous else None),
            *(("keyword earlier in the clause group", m) for m in reversed(earlier)),
            ("topic of the lead-in sentence", self.topic),
        ]
        for how, candidate in candidates:
            if candidate is not None and accepts(candidate, quantity.unit):
                return self._noted("metric", how, candidate)
        return None

    def _investment_topic(self, sentence: Sentence, quantity: Quantity) -> str | None:
        """What money put in (`投入资金5.8亿元`) was for, from the clause after it, else the
        rest of the sentence; aid may be named before (`实施营养改善计划以来,共投入资金…`)."""
        following = self.clause_marks.next(quantity.end + 1, sentence.end)
        for rest in (self.text[quantity.end : following], self.text[quantity.end : sentence.end]):
            if IT_TOPIC.search(rest):
                return "edu_it_investment"
            if BUILD_TOPIC.search(rest):
                return "capital_investment"
            if AID_TOPIC.search(rest):
                return "student_aid_funds"
        if AID_TOPIC.search(self.text, sentence.start, quantity.start):
            return "student_aid_funds"
        return None

    def _level_list(
        self,
        state: SentenceState,
        metric: str,
        quantity: Quantity,
        levels: list[LevelHit],
        hits: list[KeywordHit],
    ) -> list[str]:
        if metric in IMPLIED_LEVEL:
            return self._noted("level", "implied by the metric", [IMPLIED_LEVEL[metric]])
        distinct = list(dict.fromkeys(hit.level for hit in levels))
        if len(distinct) > 1 and quantity.unit == "percent":
            return self._noted("level", "each level named with one rate", distinct)
        if len(distinct) > 1:
            chosen = level_after_keyword(levels, hits)
            how = "named after the keyword" if chosen else "several named, none chosen"
            return self._noted("level", how, [chosen or "all"])
        if distinct:
            return self._noted("level", "named in the clause", distinct)
        return [self._inherited_level(state, quantity, metric)]

    def _labels_other(self, hit: LevelHit, quantity: Quantity, state: SentenceState) -> bool:
        """A level written right before a number that is no figure labels that number alone
        (`从1985年的小学274元…,累计投入资金…` is not about primary school)."""
        found = LABELLED_NUMBER.match(self.text, hit.end)
        if found is None or found.end() >= quantity.start:
            return False
        return all(draft.quantity.start != found.end() for draft in state.drafts)

    def _inherited_level(self, state: SentenceState, quantity: Quantity, metric: str) -> str:
        """Level of an unlabelled figure: the figure before it in the same `;` group, a level
        named earlier in the group, the previous sentence's, or one named right after."""
        sentence = state.sentence
        own = single_level(self._levels(quantity.end, state.clause_end))
        if own is not None:
            return self._noted("level", "named after the number", own)
        group = self.group_marks.last(sentence.start, quantity.start)
        previous = state.previous
        if (
            previous is not None
            and (previous.start >= group or state.carried)
            and previous.metric not in IMPLIED_LEVEL
            and not (quantity.unit == "percent" and other_domain(previous.metric, metric))
        ):
            return self._noted("level", "the figure before in the clause group", previous.level)
        since = max(group, previous.quantity.end) if previous is not None else group
        visible = [
            h
            for h in self._levels(since, quantity.start)
            if self._visible(h.start, quantity.start) and not self._labels_other(h, quantity, state)
        ]
        before = single_level(visible)
        if before is not None:
            return self._noted("level", "named earlier in the clause group", before)
        same = [d for d in state.drafts if d.metric == metric and d.metric not in IMPLIED_LEVEL]
        if same:
            return self._noted("level", "same metric earlier in the sentence", same[-1].level)
        if self.sentence_level is not None:
            return self._noted("level", "the sentence before", self.sentence_level)
        if self.heading_level is not None and metric not in (*LEVEL_AFTER, *WHOLE_AGE_GROUP):
            return self._noted("level", "numbered heading", self.heading_level)
        following = self.clause_marks.next(quantity.end + 1, sentence.end)
        after = None
        if metric in LEVEL_AFTER or BENEFICIARIES.match(self.text, quantity.end + 1):
            after = single_level(self._levels(quantity.end, following))
        if after is not None:
            return self._noted("level", "named in the clause after", after)
        return self._noted("level", "no level named", "all")


PARENTHESES = re.compile(r"\([^()\n]{0,160}\)")
BOOK_TITLES = re.compile(r"《[^《》\n]{0,120}》")
MASKED_MARKS = str.maketrans(",;:", "···")


def mask_parentheses(text: str) -> str:
    """`text` with clause marks inside parentheses blanked, so `(主要包括…,…)` is one clause."""
    return PARENTHESES.sub(lambda m: m.group().translate(MASKED_MARKS), text)


def sentence_evidence(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The sentence around a figure's clause, clipped to `EVIDENCE_CONTEXT` on each side."""
    return max(sentence.start, start - EVIDENCE_CONTEXT), min(sentence.end, end + EVIDENCE_CONTEXT)


def is_unnamed_subset(segment: str) -> bool:
    """`(其中在编4,890人)`: a part of the figure before it that names neither a level nor a
    metric of its own; `其中小学生48550人` (a level) is a breakdown and is kept."""
    stripped = segment.strip(" (")
    if not stripped.startswith(("其中", "含")):
        return False
    rest = FILLER.sub("", stripped.removeprefix("其中").removeprefix("含"))
    return bool(rest) and not LEVEL_PATTERN.search(rest)


def other_domain(first: str, second: str) -> bool:
    """A rate after a figure of another domain (a fitness rate after a staffing ratio) is
    not about that figure's school level."""
    metrics = load_metrics()
    return second in metrics and metrics[first].domain != metrics[second].domain


def is_before_noun(after: str) -> bool:
    """`864名中小学教师…`, `44所乡镇中小学食堂`: the number counts the noun that follows, so
    the words before it are not its label."""
    return bool(CJK.match(after)) and not after.startswith(AFTER_NUMBER_OK)


def is_school_count(segment: str, word: str) -> bool:
    """`幼儿园100所` is a school count; `示范校1所`, `公办小学38所`, `俱乐部学校3所` are
    sub-types or other bodies, left out; a note in brackets (`(含教学点)`) is no sub-type."""
    stripped = PARENTHESES.sub("", segment).strip()
    if word != "所" or not SCHOOL_NOUN.search(stripped) or SCHOOL_SUBTYPE.search(stripped):
        return False
    return residual(SCHOOL_FILLER.sub("", LEVEL_PATTERN.sub("", stripped))) <= RESIDUAL_LIMIT


def residual(segment: str) -> int:
    """Characters left once level words and filler are removed."""
    return len(FILLER.sub("", LEVEL_PATTERN.sub("", segment)))


def level_rate(metric: str, level: str) -> str | None:
    """An enrollment rate listed for several levels (`小学、初中、高中阶段毛入学率分别为…`)
    is each level's own rate, whichever level's name the keyword carries."""
    if metric not in LEVEL_RATES:
        return metric
    word = "入学率" if metric == "primary_net_enrollment_rate" else "毛入学率"
    return rate_for_level(word, level)


def metric_for_level(metric: str, level: str) -> str | None:
    if metric in BY_LEVEL_WORDS:
        return rate_for_level(BY_LEVEL_WORDS[metric], level)
    return metric


def choose_metric(
    hits: list[KeywordHit],
    quantity: Quantity,
    levels: list[LevelHit],
    previous: Draft | None,
    text: str,
    unscoped: str,
) -> str | None:
    """The nearest keyword whose metric fits the quantity's unit."""
    for hit in reversed(hits):
        found = _hit_metric(hit, quantity, levels, previous, text)
        if found is None:
            continue
        if found in STOCK_COUNTS and is_subset(unscoped[hit.end : quantity.start]):
            return None
        return found
    return None


def _hit_metric(
    hit: KeywordHit, quantity: Quantity, levels: list[LevelHit], previous: Draft | None, text: str
) -> str | None:
    if hit.by_level:
        if quantity.unit == "percent" and levels:
            return "by_level_gross" if text[hit.start] == "毛" else "by_level"
        return None
    if hit.partial:
        found = partial_metric(text[hit.start : hit.end], previous.metric if previous else None)
        return found if found is not None and accepts(found, quantity.unit) else None
    return next((m for m in hit.metrics if accepts(m, quantity.unit)), None)


def is_subset(gap: str) -> bool:
    """`专任教师中研究生学历236人`: words between a head count's noun and its number that
    narrow it to a subset (verbs like `资助…幼儿2850人次` name their object, not a subset)."""
    return residual(COUNT_FILLER.sub("", PARENTHESES.sub("", gap))) > SUBSET_GAP


def attach_change(draft: Draft, segment: str, quantity: Quantity) -> None:
    sign = -1.0 if any(word in segment for word in NEGATIVE_CHANGE) else 1.0
    if quantity.unit == "points":
        draft.yoy_change = sign * quantity.value
    elif quantity.unit == "percent":
        draft.yoy_growth_pct = sign * quantity.value
    elif quantity.unit == draft.quantity.unit:
        draft.yoy_change = sign * quantity.value


RESPECTIVE = re.compile(
    r"分别(?:较|比)(?:上年|去年)(?P<verb>提升|提高|增加|增长|上升|下降|减少|降低)"
    r"(?P<values>\d+(?:\.\d+)?(?:、\d+(?:\.\d+)?)+) ?(?P<unit>个百分点|%)"
)


def apply_respective_changes(sentence: str, drafts: list[Draft]) -> None:
    """`A率73.1%,B率30.2%,分别较上年提升29.9、4.9个百分点` → each change to its figure."""
    for match in RESPECTIVE.finditer(sentence):
        values = [float(v) for v in match["values"].split("、")]
        sign = -1.0 if match["verb"] in ("下降", "减少", "降低") else 1.0
        targets = drafts[-len(values) :] if len(drafts) >= len(values) else []
        for draft, value in zip(targets, values, strict=False):
            if match["unit"] == "%":
                draft.yoy_growth_pct = sign * value
            else:
                draft.yoy_change = sign * value


def level_after_keyword(levels: list[LevelHit], hits: list[KeywordHit]) -> str | None:
    """`生均公用经费小学达到800元`: a level named after the metric is the figure's own, even
    when the phrase before it names a wider one (`义务教育阶段学校…`)."""
    if hits and levels and levels[-1].start >= hits[-1].end:
        return levels[-1].level
    return None


def single_level(hits: list[LevelHit]) -> str | None:
    distinct = {hit.level for hit in hits}
    return distinct.pop() if len(distinct) == 1 else None
