// Static widget frames (scripts/build_pages.py): each control of a recorded widget is a range input;
// moving it shows the images the widget's own view drew for that value when the page was built.
// No kernel, no network: the frames are files beside the page.
(function () {
  document.querySelectorAll(".course-frames").forEach(function (box) {
    var data = JSON.parse(box.getAttribute("data-frames"));
    var imgs = box.querySelectorAll("img.course-frame");
    box.querySelectorAll("input.course-frame-control").forEach(function (input) {
      var control = data.controls[+input.getAttribute("data-control")];
      var readout = input.parentNode.querySelector(".course-frame-value");
      input.addEventListener("input", function () {
        var i = +input.value;
        control.frames[i].forEach(function (src, k) { if (imgs[k]) { imgs[k].src = src; } });
        readout.textContent = control.labels[i];
      });
    });
  });
})();
