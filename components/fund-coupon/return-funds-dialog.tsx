"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { returnCampaignFundsAction } from "@/lib/actions/return-campaign-funds";
import { useAction } from "@/lib/actions/use-action";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";
import { returnCampaignFundsSchema } from "@/lib/validation/fund-coupon";

/**
 * "Return unused funds": everything the campaign can return (every paid order's remainder), or one order's
 * remainder or part of it. It says how much before anything is sent; what payouts in flight hold is never
 * returned (the service decides).
 */
export function ReturnFundsDialog({
  campaignId,
  order,
  refundableFen,
  variant = "secondary",
}: {
  campaignId: string;
  /** One order (per-order return, with an optional partial amount); null: the whole campaign. */
  order: { id: string; outOrderNo: string } | null;
  refundableFen: number;
  variant?: "secondary" | "ghost";
}) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState("");
  const { run, pending, failure, fieldErrors, reset } = useAction(returnCampaignFundsAction, {
    schema: returnCampaignFundsSchema,
  });
  const close = () => {
    setOpen(false);
    setAmount("");
    reset();
  };
  const submit = () =>
    run({ campaignId, fundOrderId: order?.id ?? "", amount: order ? amount : "" }, (result) => {
      toast(t("campaigns.funding.return.done", { amount: formatFen(result.amountFen) }), "success");
      close();
      router.refresh();
    });

  return (
    <>
      <Button
        variant={variant}
        size={order ? "sm" : undefined}
        disabled={refundableFen <= 0}
        onClick={() => {
          reset();
          setOpen(true);
        }}
      >
        {order ? t("campaigns.funding.return.orderButton") : t("campaigns.funding.return.button")}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={
          order
            ? t("campaigns.funding.return.orderTitle", { order: order.outOrderNo })
            : t("campaigns.funding.return.title")
        }
        description={
          order
            ? t("campaigns.funding.return.orderConfirm", { amount: formatFen(refundableFen) })
            : t("campaigns.funding.return.confirm", { amount: formatFen(refundableFen) })
        }
      >
        <form
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          {failure && !fieldErrors.amount ? (
            <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="form-error">
              {tr(failure.error.message)}
            </p>
          ) : null}
          {order ? (
            <Field
              label={t("campaigns.funding.return.amount")}
              hint={t("campaigns.funding.return.amountHint", { amount: formatFen(refundableFen) })}
              errors={fieldErrors.amount ?? fieldErrors.amountFen}
            >
              <Input
                name="amount"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                inputMode="decimal"
                placeholder={formatFen(refundableFen)}
              />
            </Field>
          ) : null}
          <DialogActions
            onCancel={close}
            pending={pending}
            submitVariant="danger"
            submitLabel={t("campaigns.funding.return.submit")}
          />
        </form>
      </Dialog>
    </>
  );
}
