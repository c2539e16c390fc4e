# Prints each failed test case of JUnit XML reports with the first lines of its
# message and the first stack frame in nslab's code, so a CI log that keeps
# only the end of the output still says why a test failed.
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
  print "  FAILED " cls "." name
  n = split(unxml(msg), lines, "\n"); shown = 0
  for (i = 1; i <= n && shown < 8; i++) {
    if (lines[i] ~ /^[ \t]*$/) continue
    l = lines[i]; if (length(l) > 200) l = substr(l, 1, 200) "..."
    print "    | " l; shown++
  }
  if (n > 8) print "    | ..."
  if (frame != "") print "    " frame
  name = ""
}
/<testcase / { flush(); tname = attr($0, "name"); tcls = attr($0, "classname"); infail = 0 }
/<(failure|error)[ >]/ {
  flush(); name = tname; cls = tcls; frame = ""; infail = 1
  msg = attr($0, "message"); if (msg == "") { msg = $0; sub(/.*<(failure|error)[^>]*>/, "", msg) }
}
infail && frame == "" && /at io\.nslab\./ { frame = $0; sub(/^[ \t]*/, "", frame) }
/<\/(failure|error)>/ { infail = 0 }
END { flush() }
