# Prints each failed test case of JUnit XML reports with the first lines of its
# message and the first stack frame in nslab's code, so a CI log that keeps
# only the end of the output still says why a test failed. Reports under a
# reports-retry/ directory (given first) are the second run of classes whose
# failure was a JVM crash (guest/junit): a test that passed there is printed
# as FLAKY instead of FAILED.
function attr(s, name,   v) {
  if (index(s, " " name "=\"") == 0) return ""
  v = s; sub(".*[ \t]" name "=\"", "", v); sub(/".*/, "", v); return v
}
function unxml(s) {
  gsub(/&#10;|&#xa;|&#xA;/, "\n", s); gsub(/&#13;|&#xd;|&#xD;/, "", s)
  gsub(/&quot;/, "\"", s); gsub(/&apos;|&#39;/, "'", s)
  gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s)
  return s
}
function flush() {
  if (name == "") return
  if ((cls "." name) in passedAgain) print "  FLAKY (a JVM crash; passed when its class ran again) " cls "." name
  else print "  FAILED " cls "." name
  n = split(unxml(msg), lines, "\n"); shown = 0; last = 0
  for (i = 1; i <= n && shown < 12; i++) {
    if (lines[i] ~ /^[ \t]*$/) continue
    l = lines[i]; if (length(l) > 200) l = substr(l, 1, 200) "..."
    print "    | " l; shown++; last = i
  }
  # a JVM crash: its banner is long, and the line that matters is the frame
  for (i = 1; i < n; i++) if (lines[i] ~ /^# Problematic frame:/ && i + 1 > last) { print "    | " lines[i + 1]; break }
  if (last < n) print "    | ..."
  if (frame != "") print "    " frame
  name = ""
}
FILENAME ~ /\/reports-retry\// {
  if (/<testcase /) { key = attr($0, "classname") "." attr($0, "name"); passedAgain[key] = 1 }
  if (/<(failure|error)[ >]/) delete passedAgain[key]
  next
}
/<testcase / { flush(); tname = attr($0, "name"); tcls = attr($0, "classname"); infail = 0 }
/<(failure|error)[ >]/ {
  flush(); name = tname; cls = tcls; frame = ""; infail = 1
  msg = attr($0, "message"); if (msg == "") { msg = $0; sub(/.*<(failure|error)[^>]*>/, "", msg) }
}
infail && frame == "" && /at io\.nslab\./ { frame = $0; sub(/^[ \t]*/, "", frame) }
/<\/(failure|error)>/ { infail = 0 }
END { flush() }
