-- palette: the colour of each annotation type in html-report pages. Change a colour here (any CSS
-- colour); a type not listed gets one of `spare`, chosen from its name, so it is the same in every run.
return {
  types = {
    PERSON = "#4e79a7",
    ORGANIZATION = "#f28e2b",
    LOCATION = "#59a14f",
    NATIONALITY = "#76b7b2",
    QUOTE = "#b07aa1",
    DATE = "#e15759",
    FIGURE = "#9c755f",
    TONE = "#bab0ac",
    EVIDENCE = "#edc948",
    WATCH = "#d4a6c8",
  },
  spare = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"},
}
