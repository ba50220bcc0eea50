"""The blocks of a document's body, read through its block-level content controls, and where a text may go among
them.

Word templates of public buyers wrap whole sections, or their title block, in content controls (`w:sdt`, rich
text or repeating section): the section's paragraphs are then in `w:body/w:sdt/w:sdtContent`, not in the body
itself. The body's *blocks* are its children in document order, each content control opened: the children of its
`w:sdtContent` take its place (nested controls too). A block index is a place in that list; for a document without
content controls, it is the index of the body's child. A table of contents control (`w:docPartGallery` "Table of
Contents") stays closed, one block: its lines are not headings of the document, and nothing is written into it
(Word rewrites its content when the table is updated).

Where inserted texts go between two blocks (after the last block of a section, before the next heading or the
closing block): the places between them are after the first block in its control, after each control around it,
and before each control around the second block, all in document order. The texts go in the innermost container
(the body or a control's content) among these that also holds the section's heading: a control that wraps the
section keeps the texts at its end, a control that wraps only the heading (a title block) or only the section's
last paragraph is left whole. A control whose content is locked (`w:lock` "contentLocked" or "sdtContentLocked"),
or that holds no free text (a group, which Word protects, or a plain text, picture, list, date, check box,
citation or equation control) is never written into: the texts go in the innermost container above it among these
places, else right after the outermost such control around them (before it when it holds the closing block, after
which nothing goes). Only paragraphs are inserted, which a rich text control's content accepts as the body does.
"""

from dataclasses import dataclass, field

from lxml import etree

from procurement.specifications.docx import ooxml

W_SDT, W_SDT_CONTENT, W_SDT_PR = ooxml.w("sdt"), ooxml.w("sdtContent"), ooxml.w("sdtPr")
_LOCK, _GALLERY = ooxml.w("lock"), ooxml.w("docPartGallery")
LOCKED_CONTENT = {"contentLocked", "sdtContentLocked"}
# The types of control (a child of `w:sdtPr`, by local name) whose content is not free text: the others, rich text
# (no type, or `w:richText`), a repeating section and its items, a building block, take paragraphs.
NOT_FREE_TEXT = {
    "text",
    "picture",
    "comboBox",
    "dropDownList",
    "date",
    "checkbox",
    "citation",
    "bibliography",
    "equation",
    "group",
    "docPartList",
}
TABLE_OF_CONTENTS = "Table of Contents"


def is_table_of_contents(control: etree._Element) -> bool:
    properties = control.find(W_SDT_PR)
    if properties is None:
        return False
    return any(gallery.get(ooxml.W_VAL) == TABLE_OF_CONTENTS for gallery in properties.iter(_GALLERY))


def closed_to_writing(control: etree._Element) -> bool:
    """Whether texts may not be inserted in the control's content: it is locked, or not free text."""
    properties = control.find(W_SDT_PR)
    if properties is None:
        return False
    for child in properties:
        if child.tag == _LOCK and child.get(ooxml.W_VAL) in LOCKED_CONTENT:
            return True
        if isinstance(child.tag, str) and etree.QName(child).localname in NOT_FREE_TEXT:
            return True
    return False


@dataclass(frozen=True)
class Point:
    """A place to insert blocks: before `before` in `container` (the body or a control's `w:sdtContent`), or at
    the container's end when `before` is None; `index` is the block index of what follows the inserted blocks."""

    container: etree._Element
    before: etree._Element | None
    index: int

    def insert(self, elements: list[etree._Element]) -> None:
        for element in elements:
            if self.before is not None:
                self.before.addprevious(element)
            else:
                self.container.append(element)


@dataclass
class Blocks:
    """The body's blocks in document order (`blocks_of`): a block index is a place in `items`."""

    body: etree._Element
    items: list[etree._Element]
    # Each opened control: the block indexes of its first block and past its last one.
    spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)
    # The body and the content of each opened control, in document order: where paragraphs are blocks.
    containers: list[etree._Element] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> etree._Element:
        return self.items[index]

    def end(self) -> int:
        """The block index past the last block (the body's final section properties excluded)."""
        return len(self.items) - (1 if self.items and self.items[-1].tag == ooxml.W_SECTPR else 0)

    def index_of(self, element: etree._Element) -> int:
        """The index of the block holding `element` (a paragraph in a table cell or a text box: its table or
        paragraph)."""
        opened = set(self.containers)
        while element.getparent() not in opened:
            element = element.getparent()
        return self.items.index(element) if self.spans else self.body.index(element)

    def point_before(self, index: int, *, owner: int | None, limit: int) -> Point:
        """Where blocks go so that they follow block `index - 1` and come before block `index`, for a section whose
        heading is block `owner` (None: no section), never after block `limit` (the closing block)."""
        if not self.spans:  # no content control: the body's children, as they always were
            return Point(self.body, self.items[index] if index < len(self.items) else None, index)
        previous = self.items[index - 1] if index > 0 else None
        following = self.items[index] if index < len(self.items) else None
        if previous is None and following is None:  # a body holding only empty controls: no block to follow
            return Point(self.body, None, index)
        following_chain = self._chain(following.getparent()) if following is not None else [self.body]
        # The places between the two blocks: after `previous` and after each control around it, up to the container
        # holding both; then before each control around `following`, down to it.
        places: dict[etree._Element, Point] = {}
        shared = self.body
        if previous is not None:
            element = previous
            for container in self._chain(previous.getparent()):
                places[container] = self._after(element, container)
                if container in following_chain:
                    shared = container
                    break
                element = container.getparent()
        if following is not None:
            element = following
            for container in following_chain:
                if container is shared and previous is not None:
                    break
                places[container] = Point(container, element, index)
                if container is shared:
                    break
                element = container.getparent()
        owner_chain = self._chain(self.items[owner].getparent()) if owner is not None else []
        chosen = next((container for container in owner_chain if container in places), shared)
        # A locked control's content is not written into: the innermost writable container up to `shared`.
        for container in self._chain(chosen):
            if not self._locked(container):
                return places[container]
            if container is shared:
                break
        outermost = next(item for item in reversed(self._chain(shared)) if self._locked(item)).getparent()
        start, end = self.spans[outermost]
        if start <= limit < end:  # it holds the closing block: the texts go before it
            return Point(outermost.getparent(), outermost, start)
        return self._after(outermost, outermost.getparent())

    def _chain(self, container: etree._Element) -> list[etree._Element]:
        """`container` (the body or a control's content) and the containers around it, innermost first."""
        chain = [container]
        while chain[-1] is not self.body:
            chain.append(chain[-1].getparent().getparent())  # w:sdtContent → w:sdt → its container
        return chain

    def _after(self, element: etree._Element, container: etree._Element) -> Point:
        """Right after `element` (a block or an opened control) in `container`."""
        last = self.spans[element][1] if element in self.spans else self.items.index(element) + 1
        return Point(container, element.getnext(), last)

    def _locked(self, container: etree._Element) -> bool:
        """Whether the control whose content is `container`, or one around it, is closed to writing."""
        return any(item is not self.body and closed_to_writing(item.getparent()) for item in self._chain(container))


def blocks_of(body: etree._Element) -> Blocks:
    if body.find(W_SDT) is None:
        return Blocks(body, list(body), containers=[body])
    blocks = Blocks(body, [], containers=[body])

    def walk(container: etree._Element) -> None:
        for child in container:
            if child.tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None and not is_table_of_contents(child):
                    start = len(blocks.items)
                    blocks.containers.append(content)
                    walk(content)
                    blocks.spans[child] = (start, len(blocks.items))
                    continue
            blocks.items.append(child)

    walk(body)
    return blocks
