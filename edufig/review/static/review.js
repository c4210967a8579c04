// Scroll every evidence box to its highlighted sentence, and the page to a linked figure.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".scroll-to-mark").forEach(function (box) {
    var mark = box.querySelector("mark.current");
    if (mark) { box.scrollTop = mark.offsetTop - box.clientHeight / 3; }
  });
  if (location.hash.indexOf("#fig-") === 0) {
    var anchor = document.getElementById(location.hash.slice(1));
    var target = anchor && anchor.nextElementSibling;
    while (target && target.tagName !== "MARK") { target = target.nextElementSibling; }
    if (target) { target.classList.add("current"); target.scrollIntoView({block: "center"}); target.focus(); }
  }
});
