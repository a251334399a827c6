import AnnoCore

/// One numbered version in review: an item and one of the values annotators gave it.
package struct ReviewVersion {
  package var item: AdjudicationItem
  package var value: String?
  package var annotators: [String]

  /// A version of `item`: `value` (`nil`: none), given by `annotators`.
  package init(item: AdjudicationItem, value: String?, annotators: [String]) {
    self.item = item
    self.value = value
    self.annotators = annotators
  }
}
